// `dataeng explain --url sqlite:///…` as a user runs it: the real launcher (bin/dataeng.js) and the built bundles in
// dist/, in a child process on the Node running this suite. CI runs it on Node 20 (the better-sqlite3 addon) and on
// Node 22 and 24, where that addon cannot load and the worker must fall back, as in desktop VS Code.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { betterSqlite3Loads, openWritableSqlite } from '../../support/writableSqlite';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'dataeng-cli-sqlite-'));
const file = join(dir, 'shop.db');
const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function dataeng(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [join(root, 'bin', 'dataeng.js'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, HOME: dir, ...env },
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  const w = openWritableSqlite(file);
  w.exec('CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL, total REAL); CREATE INDEX orders_total ON orders (total);');
  w.close();
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe(`dataeng explain --url sqlite:///… on Node ${process.versions.node}`, () => {
  it('prints the plan as JSON, says nothing on stderr, and leaves the file unchanged', () => {
    const before = sha256(file);
    const r = dataeng(['explain', '--url', `sqlite://${file}`, 'SELECT * FROM orders WHERE customer_id = 42']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as { dialect: string; planFormat: string; plan: { detail: string }[] };
    expect(json.dialect).toBe('sqlite');
    expect(json.planFormat).toBe('sqlite-rows');
    expect(json.plan.map((p) => p.detail).join('\n')).toMatch(/SCAN orders/);
    expect(sha256(file)).toBe(before);
  });

  it('review-schema on the same file works too', () => {
    const r = dataeng(['review-schema', '--url', `sqlite://${file}`]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { tables: number }).tables).toBe(1);
  });

  it('forcing the engine this Node cannot run fails with the host version and what to do (exit 4)', () => {
    // Node 20 loads the addon but has no node:sqlite; Node 22+ has node:sqlite but cannot load the addon.
    const missing = betterSqlite3Loads() ? 'node:sqlite' : 'better-sqlite3';
    const r = dataeng(['explain', '--url', `sqlite://${file}`, 'SELECT 1'], { DATAENG_SQLITE_ENGINE: missing });
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(`Node ${process.versions.node}`);
    expect(r.stderr).toContain(`${missing} (`);
    expect(r.stderr).toMatch(/dataeng CLI on Node 20, or on Node 22\.13 or later/);
  });
});
