// Priority and duplicate resolution across folders; a broken file never stops the others.
import { describe, expect, it } from 'vitest';
import { choosePersona, resolvePersonas } from '../../../src/core/persona/registry';

const persona = (name: string, body = 'You help.'): string => `---\nname: ${name}\ndescription: ${name} persona\n---\n${body}\n`;

describe('resolvePersonas', () => {
  it('workspace beats setting beats bundled; the first claim of a name wins and later claims are errors', () => {
    const result = resolvePersonas([
      { origin: 'workspace', dir: '/ws/.claude/agents', files: [{ file: '/ws/.claude/agents/mine.md', text: persona('data-engineer', 'Workspace prompt.') }] },
      {
        origin: 'setting',
        dir: '/team',
        files: [
          { file: '/team/z.md', text: persona('team-only') },
          { file: '/team/a.md', text: persona('data-engineer', 'Team prompt.') },
        ],
      },
      {
        origin: 'bundled',
        dir: '/ext/agents',
        files: [
          { file: '/ext/agents/data-engineer.md', text: persona('data-engineer', 'Bundled prompt.') },
          { file: '/ext/agents/the-data-engineer.md', text: persona('the-data-engineer') },
        ],
      },
    ]);
    expect(result.personas.map((p) => [p.name, p.source.origin, p.body])).toEqual([
      ['data-engineer', 'workspace', 'Workspace prompt.\n'],
      ['team-only', 'setting', 'You help.\n'],
      ['the-data-engineer', 'bundled', 'You help.\n'],
    ]);
    expect(result.errors).toEqual([
      { file: '/team/a.md', message: "name 'data-engineer' is already defined by /ws/.claude/agents/mine.md, which takes priority (workspace)" },
      { file: '/ext/agents/data-engineer.md', message: "name 'data-engineer' is already defined by /ws/.claude/agents/mine.md, which takes priority (workspace)" },
    ]);
  });

  it('within one folder, files are taken in name order whatever order the reader listed them', () => {
    const result = resolvePersonas([
      {
        origin: 'cli',
        dir: '/d',
        files: [
          { file: '/d/b.md', text: persona('same', 'From b.') },
          { file: '/d/a.md', text: persona('same', 'From a.') },
          { file: '/d/B.md', text: persona('same', 'From B.') },
        ],
      },
    ]);
    // Code-unit order, independent of locale: "B.md" sorts before "a.md".
    expect(result.personas.map((p) => p.body)).toEqual(['From B.\n']);
    expect(result.errors.map((e) => e.file)).toEqual(['/d/a.md', '/d/b.md']);
  });

  it('broken and unreadable files become errors and the rest still load', () => {
    const result = resolvePersonas([
      {
        origin: 'setting',
        dir: '/d',
        files: [
          { file: '/d/1-empty.md', text: '' },
          { file: '/d/2-unreadable.md', error: 'cannot read the file: permission denied' },
          { file: '/d/3-good.md', text: persona('good') },
          { file: '/d/4-no-name.md', text: '---\ndescription: x\n---\nbody' },
        ],
      },
      { origin: 'setting', dir: '/missing', files: [{ file: '/missing', error: 'the persona folder does not exist' }] },
    ]);
    expect(result.personas.map((p) => p.name)).toEqual(['good']);
    expect(result.errors).toEqual([
      { file: '/d/1-empty.md', message: 'the file is empty' },
      { file: '/d/2-unreadable.md', message: 'cannot read the file: permission denied' },
      { file: '/d/4-no-name.md', message: 'the front matter has no "name" (add a line such as "name: my-persona")' },
      { file: '/missing', message: 'the persona folder does not exist' },
    ]);
  });
});

describe('choosePersona', () => {
  const { personas } = resolvePersonas([
    { origin: 'bundled', dir: '/b', files: [{ file: '/b/a.md', text: persona('alpha') }, { file: '/b/b.md', text: persona('the-data-engineer') }] },
  ]);

  it('takes the first wanted name that exists, else the first persona', () => {
    expect(choosePersona(personas, ['gone', undefined, 'the-data-engineer'])?.name).toBe('the-data-engineer');
    expect(choosePersona(personas, ['alpha', 'the-data-engineer'])?.name).toBe('alpha');
    expect(choosePersona(personas, ['gone'])?.name).toBe('alpha');
    expect(choosePersona([], ['alpha'])).toBeUndefined();
  });
});
