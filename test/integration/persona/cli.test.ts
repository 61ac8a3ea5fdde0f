// `dataeng personas` end to end: the built CLI spawned as a user would run it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';

const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'personas');
const sharedSeeds = join(root, '..', 'shared', 'seeds');

interface Listing {
  personas: Array<{ name: string; description: string; source: string; file: string; tools: string[]; bodyChars: number }>;
  errors: Array<{ file: string; message: string }>;
}

function run(args: string[], cwd = root): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'dataeng.js'), 'personas', ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function listing(stdout: string): Listing {
  return JSON.parse(stdout) as Listing;
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run `npm run build` before the CLI tests (npm test does)');
});

describe('dataeng personas (spawned)', () => {
  it('without --dir lists the bundled personas from a folder with no .claude/agents', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'dataeng-cli-'));
    try {
      const r = run([], cwd);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = listing(r.stdout);
      expect(out.errors).toEqual([]);
      expect(out.personas.map((p) => [p.name, p.source, p.file])).toEqual([
        ['data-engineer', 'bundled', join(root, 'agents', 'data-engineer.md')],
        ['the-data-engineer', 'bundled', join(root, 'agents', 'the-data-engineer.md')],
      ]);
      expect(out.personas[0]!.tools).toEqual(['Read', 'Grep', 'Glob']);
      expect(out.personas.every((p) => p.bodyChars > 1000)).toBe(true);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('--dir with the seed fixtures loads both, exactly as the files have them', () => {
    const r = run(['--dir', join(fixtures, 'seeds')]);
    expect(r.code).toBe(0);
    const out = listing(r.stdout);
    expect(out.errors).toEqual([]);
    expect(out.personas.map((p) => [p.name, p.source])).toEqual([
      ['data-engineer', 'cli'],
      ['the-data-engineer', 'cli'],
    ]);
    const [de, tde] = out.personas;
    expect(de!.tools).toEqual(['Bash', 'Read', 'Write', 'Edit', 'MultiEdit', 'Glob', 'Grep', 'LS', 'WebFetch', 'WebSearch', 'TodoWrite']);
    expect(de!.description).toContain('**HANDOFF COORDINATION patterns:** - **FROM backend-dev**');
    expect(tde!.description).toContain('Examples:\n\n<example>\nContext: Designing data storage for new feature.');
  });

  it('--dir with the real ../shared/seeds folder', () => {
    // The shared seeds sit next to the repository in CI and on the development machine; the test must see them.
    expect(existsSync(sharedSeeds), `${sharedSeeds} should exist`).toBe(true);
    const r = run(['--dir', '../shared/seeds']);
    expect(r.code).toBe(0);
    const out = listing(r.stdout);
    expect(out.errors).toEqual([]);
    expect(out.personas.map((p) => [p.name, p.file])).toEqual([
      ['data-engineer', join(sharedSeeds, 'data-engineer.md')],
      ['the-data-engineer', join(sharedSeeds, 'the-data-engineer.md')],
    ]);
    const fromFixture = listing(run(['--dir', join(fixtures, 'seeds')]).stdout);
    expect(out.personas.map((p) => [p.description, p.tools, p.bodyChars])).toEqual(fromFixture.personas.map((p) => [p.description, p.tools, p.bodyChars]));
  });

  it('--dir folders are read in the given order: the first claim of a name wins', () => {
    const r = run(['--dir', join(fixtures, 'override'), '--dir', join(fixtures, 'seeds')]);
    expect(r.code).toBe(0);
    const out = listing(r.stdout);
    expect(out.personas.map((p) => [p.name, p.file])).toEqual([
      ['data-engineer', join(fixtures, 'override', 'data-engineer.md')],
      ['the-data-engineer', join(fixtures, 'seeds', 'the-data-engineer.md')],
    ]);
    expect(out.errors).toEqual([
      {
        file: join(fixtures, 'seeds', 'data-engineer.md'),
        message: `name 'data-engineer' is already defined by ${join(fixtures, 'override', 'data-engineer.md')}, which takes priority (cli)`,
      },
    ]);
  });

  it('a folder of broken files: exit 1, every file listed with its problem', () => {
    const r = run(['--dir', join(fixtures, 'broken')]);
    expect(r.code).toBe(1);
    const out = listing(r.stdout);
    expect(out.personas).toEqual([]);
    const byFile = Object.fromEntries(out.errors.map((e) => [e.file.slice(join(fixtures, 'broken').length + 1), e.message]));
    expect(byFile).toEqual({
      'bad-name.md':
        'the name "Query Tuner" is not a valid persona name: use lowercase letters, digits, "-" and "_", starting with a letter or digit (for example "query-tuner")',
      'empty-body.md': 'the body (the system prompt after the front matter) is empty',
      'empty.md': 'the file is empty',
      'no-front-matter.md':
        'no front matter: a persona file must start with a "---" line, then "name:" and "description:" lines, then a closing "---" line',
      'no-name.md': 'the front matter has no "name" (add a line such as "name: my-persona")',
      'stray-indent.md': expect.stringMatching(/^the front matter cannot be read: line 2: expected "key: value", found "stray: indented first line" \(strict YAML: /),
      'unreadable-front-matter.md': expect.stringMatching(
        /^the front matter cannot be read: line 3: the double-quoted string is never closed in the value of "description" \(strict YAML: /,
      ),
      'unterminated.md': 'the front matter opened on line 1 is never closed: no "---" line follows it',
    });
  });

  it('unknown flags, stray arguments and missing folders exit 2 with a clear message', () => {
    expect(run(['--bogus'])).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('dataeng personas: unknown option --bogus') });
    expect(run(['extra'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unexpected argument "extra"') });
    expect(run(['--dir'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--dir needs a value') });
    expect(run(['--dir', 'no/such/folder'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--dir no/such/folder: no such folder') });
  });

  it('--help describes the command and exits 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('usage: dataeng personas [--dir DIR]...');
    expect(r.stdout).toContain('--dir VALUE');
  });
});

describe('dataeng personas (in process)', () => {
  it('finds the bundled agents/ from the sources too, and reads the workspace .claude/agents first', async () => {
    let stdout = '';
    const io: CliIo = {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stdout += `STDERR ${t}`),
      readFile: () => Promise.reject(new Error('not used')),
      env: {},
      cwd: join(fixtures, 'workspace'),
    };
    expect(await main(['personas'], io)).toBe(0);
    const out = listing(stdout);
    expect(out.personas.map((p) => [p.name, p.source])).toEqual([
      ['data-engineer', 'workspace'],
      ['the-data-engineer', 'bundled'],
    ]);
    expect(out.errors).toEqual([
      {
        file: join(root, 'agents', 'data-engineer.md'),
        message: `name 'data-engineer' is already defined by ${join(fixtures, 'workspace', '.claude', 'agents', 'data-engineer.md')}, which takes priority (workspace)`,
      },
    ]);
  });
});
