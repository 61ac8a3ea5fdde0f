// The lenient reader agrees with strict YAML wherever strict YAML accepts the text, and reads what it rejects.
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { parseLenientFrontMatter } from '../../../src/core/persona/lenientYaml';
import type { LenientResult } from '../../../src/core/persona/lenientYaml';

function lenient(text: string): LenientResult {
  return parseLenientFrontMatter(text.split('\n').map((t, i) => ({ text: t, no: i + 2 })));
}

function strict(text: string): unknown {
  return matter(`---\n${text}\n---\n`, { language: 'yaml' }).data;
}

const agreeing: string[] = [
  'name: a\ndescription: plain text',
  'name: a\ndescription: first line\n  continued line\n\n  new paragraph',
  'tools: Read, Grep, Bash',
  'tools:\n  - Read\n  - Grep',
  'tools:\n- Read\n- Grep',
  'tools: [Read, Grep]',
  'tools: []\nforbidden: {}',
  'tools:\n  allowed: [Bash, Read]\n  forbidden: []\n  rationale: "Because: reasons"',
  'scale:\n  a: ">10GB"\n  b:\n    c: deep',
  'q1: "double \\"quoted\\" \\t tab \\u00e9"\nq2: \'single \'\'quoted\'\'\'',
  'q: "folded\n  across lines\n\n  with a break"',
  'q: "escaped \\\n  break joins\\t\n  tab kept"',
  "q: 'single\n\n\n  two breaks '",
  'flow: {a: 1, b: [x, y], c: "d, e"}',
  'lit: |\n  line one\n    indented\n  line three\nafter: x',
  'lit: |-\n  no trailing newline\nafter: x',
  'fold: >\n  folded one\n  folded two\n\n  new para\nafter: x',
  'fold: >-\n  a\n  b',
  'n: 42\nf: 1.5\nt: true\nfl: false\nz: null\ntilde: ~\nempty:',
  'list_of_maps:\n  - name: x\n    value: 1\n  - name: y\n    value: 2',
  '# comment\nname: a\n# another\ncolor: red',
  'url: http://example.com/a',
  'dash-key: v\n_under: w',
];

describe('parseLenientFrontMatter', () => {
  for (const text of agreeing) {
    it(`agrees with strict YAML on ${JSON.stringify(text.slice(0, 40))}`, () => {
      const r = lenient(text);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.data).toEqual(strict(text));
    });
  }

  it('reads plain scalars with ": " and unindented continuation lines that strict YAML rejects', () => {
    const text = 'description: Use it: now. <example>user: "x"</example>\n\n<example>ctx: y</example>\nmore text\ncolor: orange';
    expect(() => strict(text)).toThrow();
    expect(lenient(text)).toEqual({
      ok: true,
      data: { description: 'Use it: now. <example>user: "x"</example>\n<example>ctx: y</example> more text', color: 'orange' },
    });
  });

  it('keeps literal backslash-n in plain scalars (the persona parser decides what they mean)', () => {
    expect(lenient('d: a\\nb: c')).toEqual({ ok: true, data: { d: 'a\\nb: c' } });
  });

  it('names the line of each problem', () => {
    expect(lenient('a: 1\n  - x\n- y')).toEqual({ ok: true, data: { a: '1 - x - y' } });
    expect(lenient('  x: 1')).toEqual({ ok: false, line: 2, message: 'expected "key: value", found "x: 1"' });
    expect(lenient('a: x\nb: "open\n\nstill open')).toEqual({ ok: false, line: 3, message: 'the double-quoted string is never closed in the value of "b"' });
    expect(lenient("a: 'open")).toEqual({ ok: false, line: 2, message: 'the single-quoted string is never closed in the value of "a"' });
    expect(lenient('a: "bad \\q escape"')).toEqual({ ok: false, line: 2, message: 'unknown escape "\\q" in a double-quoted string in the value of "a"' });
    expect(lenient('a: [x, {y: 1]')).toEqual({ ok: false, line: 2, message: 'expected "," or "}" but found "]" in the value of "a"' });
    expect(lenient('a: [x,\n  y\nb: 1')).toEqual({ ok: false, line: 2, message: 'the flow list opened with "[" is never closed in the value of "a"' });
    expect(lenient('a: [x] junk')).toEqual({ ok: false, line: 2, message: 'unexpected text after the value of "a": "junk"' });
    expect(lenient('a:\n  - x\n  y')).toEqual({ ok: false, line: 4, message: 'expected a list item "- ..." in "a", found "y"' });
    expect(lenient('a:\n    b: 1\n  c: 2')).toEqual({ ok: false, line: 4, message: 'this line is indented less than the first line of "a" (line 3, 4 spaces)' });
    expect(lenient('a: 1\nb: 2\na: 3')).toEqual({ ok: false, line: 4, message: 'key "a" appears twice (first on line 2)' });
  });
});
