// parsePersona on hand-written files: every error names the file and the problem; valid variants load.
import { describe, expect, it } from 'vitest';
import { parsePersona } from '../../../src/core/persona/parse';
import type { ParsePersonaResult, Persona } from '../../../src/core/persona/types';

const file = '/work/personas/sample.md';

function parse(text: string): ParsePersonaResult {
  return parsePersona(text, { file, origin: 'setting' });
}

function ok(text: string): Persona {
  const r = parse(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.persona;
}

function errorOf(text: string): string {
  const r = parse(text);
  if (r.ok) throw new Error(`expected an error, loaded ${r.persona.name}`);
  expect(r.error.file).toBe(file);
  return r.error.message;
}

describe('parsePersona errors', () => {
  it('empty file', () => {
    expect(errorOf('')).toBe('the file is empty');
    expect(errorOf(' \n\r\n\t\n')).toBe('the file is empty');
    expect(errorOf('\uFEFF')).toBe('the file is empty');
  });

  it('no front matter at all', () => {
    expect(errorOf('# Just a prompt\n\nYou are helpful.\n')).toBe(
      'no front matter: a persona file must start with a "---" line, then "name:" and "description:" lines, then a closing "---" line',
    );
    expect(errorOf('name: x\n---\nbody\n')).toMatch(/^no front matter/);
  });

  it('an opening delimiter with a language suffix (gray-matter would evaluate ---js as code)', () => {
    expect(errorOf('---js\n{ name: "x" }\n---\nbody\n')).toBe('line 1: the front matter must open with a line of exactly "---", found "---js"');
  });

  it('unterminated front matter', () => {
    expect(errorOf('---\nname: x\ndescription: y\n\nYou are helpful.\n')).toBe(
      'the front matter opened on line 1 is never closed: no "---" line follows it',
    );
    expect(errorOf('\n\n---\nname: x\n')).toBe('the front matter opened on line 3 is never closed: no "---" line follows it');
  });

  it('front matter that cannot be read even leniently names the line', () => {
    expect(errorOf('---\nname: n\ntools:\n    allowed: x\n  forbidden: y\n---\nbody\n')).toBe(
      'the front matter cannot be read: line 5: this line is indented less than the first line of "tools" (line 4, 4 spaces) ' +
        '(strict YAML: bad indentation of a mapping entry at line 5)',
    );
    expect(errorOf('---\n  indented: first\nname: x\n---\nbody\n')).toMatch(
      /^the front matter cannot be read: line 2: expected "key: value", found "indented: first" \(strict YAML: .+\)$/,
    );
    expect(errorOf('---\nname: x\ndescription: "never closed\nmore\n---\nbody\n')).toMatch(
      /^the front matter cannot be read: line 3: the double-quoted string is never closed in the value of "description"/,
    );
    expect(errorOf('---\nname: x\ntools: [Read, Grep\n---\nbody\n')).toMatch(
      /^the front matter cannot be read: line 3: the flow list opened with "\[" is never closed in the value of "tools"/,
    );
    expect(errorOf('---\nname: x\nname: y\n---\nbody\n')).toMatch(/^the front matter cannot be read: line 3: key "name" appears twice \(first on line 2\)/);
    expect(errorOf('---\nname: x\ndescription: "a" trailing\n---\nbody\n')).toMatch(/line 3: unexpected text after the value of "description": "trailing"/);
  });

  it('missing or empty name', () => {
    expect(errorOf('---\ndescription: helps\n---\nbody\n')).toBe('the front matter has no "name" (add a line such as "name: my-persona")');
    expect(errorOf('---\nname:\ndescription: helps\n---\nbody\n')).toBe('the front matter has no "name" (add a line such as "name: my-persona")');
    expect(errorOf('---\nname: "  "\n---\nbody\n')).toBe('the front matter has no "name" (add a line such as "name: my-persona")');
    expect(errorOf('---\nname: [a, b]\n---\nbody\n')).toBe('"name" must be text, not a list or map');
  });

  it('a name that is not a lowercase slug, with a suggestion', () => {
    expect(errorOf('---\nname: Data Engineer\n---\nbody\n')).toBe(
      'the name "Data Engineer" is not a valid persona name: use lowercase letters, digits, "-" and "_", starting with a letter or digit (for example "data-engineer")',
    );
    expect(errorOf('---\nname: x : what - else\n---\nbody\n')).toMatch(/\(for example "x-what-else"\)$/);
    expect(errorOf('---\nname: -lead\n---\nbody\n')).toMatch(/^the name "-lead" is not a valid persona name/);
    expect(errorOf('---\nname: "../../etc"\n---\nbody\n')).toMatch(/^the name "\.\.\/\.\.\/etc" is not a valid persona name/);
  });

  it('empty body', () => {
    expect(errorOf('---\nname: x\n---\n')).toBe('the body (the system prompt after the front matter) is empty');
    expect(errorOf('---\nname: x\n---\n\n   \n\n')).toBe('the body (the system prompt after the front matter) is empty');
  });

  it('reports every problem of one file together', () => {
    expect(errorOf('---\nname: Bad Name\ntools: 5\ncolor: [red]\n---\n')).toBe(
      'the name "Bad Name" is not a valid persona name: use lowercase letters, digits, "-" and "_", starting with a letter or digit (for example "bad-name"); ' +
        '"tools" must be a comma-separated string, a list, or a map with "allowed"; "color" must be text, not a list or map; ' +
        'the body (the system prompt after the front matter) is empty',
    );
  });

  it('never throws on arbitrary input', () => {
    const samples = ['---', '---\n---', '---\n:\n---\nx', '---\n[\n---\nx', '---\n"\n---\nx', '---\nname: "\\u12"\n---\nx', '\0\0\0', '---\r---\r'];
    for (const s of samples) expect(() => parse(s)).not.toThrow();
    let seed = 7;
    const pieces = ['---', '\n', 'name', ': ', '"', "'", '[', ']', '{', '}', ',', '- ', '  ', 'x', '\\n', '#', '|', '>', ':'];
    for (let n = 0; n < 2000; n++) {
      let s = '';
      for (let k = 0; k < 30; k++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        s += pieces[seed % pieces.length];
      }
      const r = parse(s);
      expect(typeof r.ok).toBe('boolean');
    }
  });
});

describe('parsePersona valid files', () => {
  it('strict YAML: all fields, tools as a comma string, other keys as metadata', () => {
    const p = ok('---\nname: reviewer\ndescription: Reviews SQL.\ntools: Read, Grep, Bash\ncolor: blue\nmodel: opus\npriority: 3\n---\n\n\n# Reviewer\nBe brief.\n');
    expect(p).toEqual({
      name: 'reviewer',
      description: 'Reviews SQL.',
      tools: ['Read', 'Grep', 'Bash'],
      color: 'blue',
      model: 'opus',
      metadata: { tools: 'Read, Grep, Bash', priority: 3 },
      body: '# Reviewer\nBe brief.\n',
      source: { file, origin: 'setting' },
    });
  });

  it('tools as a YAML block list and as a map with allowed', () => {
    expect(ok('---\nname: a\ntools:\n  - Read\n  - Grep\n---\nbody\n').tools).toEqual(['Read', 'Grep']);
    expect(ok('---\nname: a\ntools:\n  allowed: Read, Edit\n  forbidden: [Bash]\n---\nbody\n').tools).toEqual(['Read', 'Edit']);
    expect(ok('---\nname: a\ntools: []\n---\nbody\n').tools).toEqual([]);
  });

  it('a quoted description keeps a literal backslash-n; a plain one turns it into a newline', () => {
    expect(ok('---\nname: a\ndescription: "one\\\\ntwo"\n---\nbody\n').description).toBe('one\\ntwo');
    expect(ok('---\nname: a\ndescription: one\\ntwo\n---\nbody\n').description).toBe('one\ntwo');
  });

  it('lenient reader: plain scalars with ": ", folded continuation lines, nested maps, flow lists, comments', () => {
    const p = ok(
      [
        '---',
        '# a comment line',
        'name: lenient',
        'description: Use it when: things are slow. Example: <example>user: "why?"</example>',
        'still the description',
        '',
        '<example>Context: second paragraph</example>',
        'color: green',
        'levels: [one, "two, quoted", 3, true]',
        'nested:',
        '  inner: "x: y"',
        '  deeper:',
        '    leaf: plain text: with colon',
        'items:',
        '- first',
        '- second item',
        '  continued',
        "quoted: 'it''s'",
        'block: |',
        '  line one',
        '  line two',
        '---',
        'Body.',
      ].join('\n'),
    );
    expect(p.description).toBe(
      'Use it when: things are slow. Example: <example>user: "why?"</example> still the description\n<example>Context: second paragraph</example>',
    );
    expect(p.color).toBe('green');
    expect(p.metadata).toEqual({
      levels: ['one', 'two, quoted', 3, true],
      nested: { inner: 'x: y', deeper: { leaf: 'plain text: with colon' } },
      items: ['first', 'second item continued'],
      quoted: "it's",
      block: 'line one\nline two\n',
    });
    expect(p.body).toBe('Body.');
  });

  it('lenient reader: double-quoted escapes and flow maps', () => {
    const p = ok('---\nname: esc\ndescription: "tab\\there \\u00e9 \\"q\\"" \nmeta: {a: 1, b: "x, y", c: [d, e]}\nnote: a: b\n---\nbody');
    expect(p.description).toBe('tab\there \u00e9 "q"');
    expect(p.metadata).toEqual({ meta: { a: 1, b: 'x, y', c: ['d', 'e'] }, note: 'a: b' });
  });

  it('a key named __proto__ is data, not a prototype', () => {
    const p = ok('---\nname: proto\n__proto__: polluted: yes\n---\nbody');
    expect(Object.getPrototypeOf(p.metadata)).toBe(Object.prototype);
    expect(Object.keys(p.metadata)).toContain('__proto__');
  });

  it('accepts CRLF, a BOM, and trailing spaces after the delimiters', () => {
    const p = ok('\uFEFF---  \r\nname: crlf\r\ndescription: d\r\n--- \r\n\r\nLine one\r\nLine two\r\n');
    expect(p.name).toBe('crlf');
    expect(p.body).toBe('Line one\nLine two\n');
  });

  it('accepts digits and underscores in names', () => {
    expect(ok('---\nname: pg_15-tuner\n---\nbody').name).toBe('pg_15-tuner');
    expect(ok('---\nname: 42\n---\nbody').name).toBe('42');
  });
});
