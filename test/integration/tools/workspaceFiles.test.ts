// The workspace tools on a real folder: a symlink escaping the root, a binary file, a huge file, globs, grep with a
// pathological pattern, through the registry as every face calls them.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolRegistry } from '../../../src/app/tools/registry';
import { TOOL_RESULT_CAP } from '../../../src/core/tools/cap';
import { agentToolNames, type ToolCallContext, type ToolRegistry } from '../../../src/core/tools/types';
import { WorkspaceFiles } from '../../../src/host/workspaceFiles';

const base = mkdtempSync(join(tmpdir(), 'dataeng-ws-'));
const root = join(base, 'project');
const outside = join(base, 'outside');
let registry: ToolRegistry;
const ctx = (): ToolCallContext => ({ signal: new AbortController().signal, redact: false });

beforeAll(() => {
  mkdirSync(join(root, 'models', 'staging'), { recursive: true });
  mkdirSync(join(root, 'node_modules', 'pkg'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'models', 'orders.sql'), 'select *\nfrom orders\nwhere status = \'paid\';\n');
  writeFileSync(join(root, 'models', 'staging', 'customers.sql'), 'select id, email from customers;\n');
  writeFileSync(join(root, 'node_modules', 'pkg', 'x.sql'), 'select 1 from orders;\n');
  writeFileSync(join(root, 'README.md'), '# project\nSee models/orders.sql\n');
  writeFileSync(join(root, 'data.bin'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe]));
  writeFileSync(join(root, 'huge.sql'), Array.from({ length: 200_000 }, (_, i) => `select ${i} from orders; -- ${'y'.repeat(30)}`).join('\n'));
  writeFileSync(join(outside, 'secret.sql'), 'select password from users;\n');
  symlinkSync(join(outside, 'secret.sql'), join(root, 'models', 'escape.sql'));
  symlinkSync(outside, join(root, 'linked-dir'));
  symlinkSync(join(root, 'models', 'orders.sql'), join(root, 'alias.sql'));
  const files = new WorkspaceFiles({ roots: [root], maxReadBytes: 1024 * 1024, grepTimeoutMs: 1_500 });
  registry = createToolRegistry({ workspace: files }, { offered: agentToolNames });
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('read_file', () => {
  it('reads numbered lines of a workspace file, by relative or absolute path and through an inside symlink', async () => {
    const r = await registry.run('read_file', { path: 'models/orders.sql' }, ctx());
    expect(r).toMatchObject({ isError: false, summary: 'Read models/orders.sql' });
    expect(r.text).toBe("models/orders.sql: lines 1–3 of 3\n1: select *\n2: from orders\n3: where status = 'paid';");
    const abs = await registry.run('read_file', { path: join(root, 'models', 'orders.sql'), offset: 2, limit: 1 }, ctx());
    expect(abs.text).toBe('models/orders.sql: lines 2–2 of 3\n2: from orders\n[more: read with offset 3]');
    const alias = await registry.run('read_file', { path: 'alias.sql' }, ctx());
    expect(alias.text.startsWith('models/orders.sql: lines 1–3 of 3')).toBe(true);
  });

  it('refuses a symlink escaping the root, a path with .., a binary file, a folder and a missing file', async () => {
    const escape = await registry.run('read_file', { path: 'models/escape.sql' }, ctx());
    expect(escape.isError).toBe(true);
    expect(escape.text).toMatch(/^Refused: models\/escape.sql is outside the workspace folders/);
    expect(escape.text).not.toContain('password');
    const dotdot = await registry.run('read_file', { path: '../outside/secret.sql' }, ctx());
    expect(dotdot.isError).toBe(true);
    expect(dotdot.text).toMatch(/outside the workspace/);
    const viaDir = await registry.run('read_file', { path: 'linked-dir/secret.sql' }, ctx());
    expect(viaDir.isError).toBe(true);
    const bin = await registry.run('read_file', { path: 'data.bin' }, ctx());
    expect(bin.text).toBe('Refused: data.bin is a binary file; only text files can be read.');
    const dir = await registry.run('read_file', { path: 'models' }, ctx());
    expect(dir.text).toMatch(/is a folder/);
    const missing = await registry.run('read_file', { path: 'nope.sql' }, ctx());
    expect(missing.text).toMatch(/does not exist in the workspace/);
  });

  it('reads a huge file only up to the byte cap and a result only up to the text cap, saying both', async () => {
    const r = await registry.run('read_file', { path: 'huge.sql', offset: 1, limit: 5_000 }, ctx());
    expect(r.isError).toBe(false);
    expect(r.text.length).toBeLessThanOrEqual(TOOL_RESULT_CAP);
    expect(r.text).toMatch(/\[… cut: .* Read the rest with a larger offset or a smaller limit\.\]$/);
    const tail = await registry.run('read_file', { path: 'huge.sql', offset: 100_000, limit: 2 }, ctx());
    expect(tail.text).toMatch(/^huge.sql: 0 lines|^huge.sql: \d+ lines; nothing at line 100000/);
    expect(tail.text).toMatch(/only its first 1,048,576 bytes can be read here/);
  });
});

describe('list_files and grep', () => {
  it('lists by glob, skipping node_modules and links that leave the workspace', async () => {
    const r = await registry.run('list_files', { glob: '**/*.sql' }, ctx());
    expect(r.text.split('\n')).toEqual(['alias.sql', 'huge.sql', 'models/orders.sql', 'models/staging/customers.sql']);
    const sub = await registry.run('list_files', { glob: 'models/*.sql' }, ctx());
    expect(sub.text).toBe('models/orders.sql');
    const none = await registry.run('list_files', { glob: '**/*.py' }, ctx());
    expect(none.text).toBe('No file matches "**/*.py".');
  });

  it('greps with path:line: text, skips binary files and caps matches', async () => {
    const r = await registry.run('grep', { pattern: 'from (orders|customers)', glob: 'models/**' }, ctx());
    expect(r.text).toBe('models/orders.sql:2: from orders\nmodels/staging/customers.sql:1: select id, email from customers;');
    // huge.sql (10 MB) is over the grep size cap and data.bin is binary: both skipped, and said so.
    const skipped = await registry.run('grep', { pattern: 'orders' }, ctx());
    expect(skipped.text).toContain('[2 binary or oversized files were skipped]');
    writeFileSync(join(root, 'many.sql'), Array.from({ length: 300 }, (_, i) => `select ${i} from orders;`).join('\n'));
    const many = await registry.run('grep', { pattern: 'orders', glob: 'many.sql' }, ctx());
    expect(many.text.split('\n').filter((l) => l.startsWith('many.sql:'))).toHaveLength(200);
    expect(many.text).toMatch(/only the first 200 are shown/);
    expect(many.summary).toBe('Searched /orders/: 200+ matches');
    const bad = await registry.run('grep', { pattern: '(' }, ctx());
    expect(bad.isError).toBe(true);
    expect(bad.text).toMatch(/^Invalid regular expression/);
  });

  it('stops a pathological pattern at its time limit without blocking this thread', async () => {
    writeFileSync(join(root, 'evil.txt'), `${'a'.repeat(40)}!\n`);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 50);
    const started = Date.now();
    const r = await registry.run('grep', { pattern: '^(a+)+$', glob: 'evil.txt' }, ctx());
    clearInterval(timer);
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/the search stopped early: it took longer than 1,500 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ticks).toBeGreaterThan(10);
  });
});
