// The host reader on real folders: listing, size cap, encoding, unreadable files, missing folders.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPersonas, maxPersonaBytes, readPersonaFolder } from '../../../src/host/personaReader';

const seeds = join(__dirname, '..', '..', 'fixtures', 'personas', 'seeds');
const good = (name: string): string => `---\nname: ${name}\ndescription: d\n---\nYou help.\n`;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dataeng-personas-'));
  writeFileSync(join(dir, 'b-good.md'), good('b-good'));
  writeFileSync(join(dir, 'a-good.MD'), good('a-good'));
  writeFileSync(join(dir, 'notes.txt'), good('ignored'));
  mkdirSync(join(dir, 'nested'));
  writeFileSync(join(dir, 'nested', 'deep.md'), good('deep'));
  mkdirSync(join(dir, 'folder.md'));
  writeFileSync(join(dir, 'huge.md'), good('huge') + 'x'.repeat(maxPersonaBytes));
  writeFileSync(join(dir, 'latin1.md'), Buffer.concat([Buffer.from(good('latin')), Buffer.from([0xe9, 0xff, 0x0a])]));
  symlinkSync(join(dir, 'does-not-exist.md'), join(dir, 'dangling.md'));
  symlinkSync(join(dir, 'nested'), join(dir, 'dir-link.md'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('readPersonaFolder', () => {
  it('reads *.md files directly in the folder, not recursively, and reports each unreadable one', async () => {
    const folder = await readPersonaFolder({ origin: 'setting', dir });
    expect(folder?.files.map((f) => [f.file.slice(dir.length + 1), 'text' in f ? 'text' : f.error])).toEqual([
      ['a-good.MD', 'text'],
      ['b-good.md', 'text'],
      ['dangling.md', 'cannot read the file: it does not exist'],
      ['dir-link.md', 'cannot read the file: it is not a regular file'],
      ['huge.md', `the file is ${Buffer.byteLength(good('huge')) + maxPersonaBytes} bytes, more than the ${maxPersonaBytes}-byte limit for persona files`],
      ['latin1.md', 'the file is not valid UTF-8 text'],
    ]);
  });

  it('honours a smaller size cap', async () => {
    const folder = await readPersonaFolder({ origin: 'setting', dir: seeds }, { maxBytes: 15_000 });
    expect(folder?.files.map((f) => ('error' in f ? f.error : 'ok'))).toEqual([
      'the file is 18237 bytes, more than the 15000-byte limit for persona files',
      'ok',
    ]);
  });

  it('skips a missing optional folder silently; a missing configured folder is an error entry', async () => {
    const missing = join(dir, 'no-such-folder');
    expect(await readPersonaFolder({ origin: 'workspace', dir: missing, optional: true })).toBeUndefined();
    expect(await readPersonaFolder({ origin: 'setting', dir: missing })).toEqual({
      origin: 'setting',
      dir: missing,
      files: [{ file: missing, error: 'the persona folder does not exist' }],
    });
    const notAFolder = join(dir, 'b-good.md');
    expect((await readPersonaFolder({ origin: 'setting', dir: notAFolder }))?.files).toEqual([
      { file: notAFolder, error: 'the persona folder is not a folder' },
    ]);
  });
});

describe('loadPersonas', () => {
  it('loads the real seed files from disk next to a folder of mixed files', async () => {
    const result = await loadPersonas([
      { origin: 'workspace', dir: join(dir, 'absent'), optional: true },
      { origin: 'setting', dir },
      { origin: 'bundled', dir: seeds },
    ]);
    expect(result.personas.map((p) => [p.name, p.source.origin])).toEqual([
      ['a-good', 'setting'],
      ['b-good', 'setting'],
      ['data-engineer', 'bundled'],
      ['the-data-engineer', 'bundled'],
    ]);
    expect(result.errors).toHaveLength(4);
  });
});
