// Password authentication on a real, throw-away PostgreSQL cluster (SCRAM), because the shared test server
// trusts every local connection: wrong passwords, PGPASSWORD, .pgpass and its permission check, and that no
// password ever appears in an error or in the CLI's output.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';
import { ConnectionError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type ConnectionConfig } from '../../../src/db/types';

const password = 'c0rrect-H0rse-Battery';
const wrong = 'Wr0ng-Passw0rd-123';
const dir = mkdtempSync(join(tmpdir(), 'dataeng-scram-'));
const data = join(dir, 'data');
let port = 0;
let bin = '';
const asRoot = process.getuid?.() === 0;

function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error('initdb not found under /usr/lib/postgresql/*/bin: install the postgresql package (scripts/setup-test-env.sh does)');
  return join(base, versions[0], 'bin');
}

function runPg(tool: string, args: string[]): void {
  const cmd = join(bin, tool);
  // initdb and pg_ctl refuse to run as root; run them as the postgres system user then.
  if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' });
  else execFileSync(cmd, args, { stdio: 'pipe' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const p = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(p));
    });
  });
}

function config(): ConnectionConfig {
  return { name: 'scram', driver: 'postgres', host: '127.0.0.1', port, user: 'postgres', database: 'postgres', ssl: 'disable' };
}

beforeAll(async () => {
  bin = pgBinDir();
  port = await freePort();
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, password + '\n');
  if (asRoot) {
    execFileSync('chown', ['-R', 'postgres', dir]);
  }
  runPg('initdb', ['-D', data, '-A', 'scram-sha-256', '-U', 'postgres', `--pwfile=${pwfile}`]);
  runPg('pg_ctl', ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(dir, 'log'), '-w', 'start']);
}, 120_000);

afterAll(() => {
  try {
    runPg('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function pgpass(text: string, mode: number): string {
  const file = join(dir, `pgpass-${mode.toString(8)}`);
  writeFileSync(file, text);
  if (asRoot) chownSync(file, 0, 0);
  chmodSync(file, mode);
  return file;
}

describe('password authentication (SCRAM)', () => {
  it('a wrong password is a ConnectionError with host, port and cause, never the password', async () => {
    const db = await openDatabase(config(), { limits: defaultSessionLimits, password: wrong, env: {} });
    const err = await db.test().catch((e: unknown) => e);
    await db.close();
    expect(err).toBeInstanceOf(ConnectionError);
    const message = (err as Error).message;
    expect(message).toContain(`127.0.0.1:${port}`);
    expect(message).toMatch(/password authentication failed/);
    expect(message).not.toContain(wrong);
    expect(JSON.stringify(err)).not.toContain(wrong);
  });

  it('the right password from SecretStorage (explicit) works', async () => {
    const db = await openDatabase(config(), { limits: defaultSessionLimits, password, env: {} });
    expect((await db.test()).version).toMatch(/PostgreSQL/);
    await db.close();
  });

  it('PGPASSWORD is used when no password is given', async () => {
    const db = await openDatabase(config(), { limits: defaultSessionLimits, env: { PGPASSWORD: password } });
    expect((await db.test()).dialect).toBe('postgres');
    await db.close();
  });

  it('.pgpass (0600) supplies the password; a group-readable one is ignored like libpq does', async () => {
    const good = pgpass(`127.0.0.1:${port}:*:postgres:${password}\n`, 0o600);
    const db = await openDatabase(config(), { limits: defaultSessionLimits, env: { PGPASSFILE: good } });
    expect((await db.test()).dialect).toBe('postgres');
    await db.close();

    const loose = pgpass(`*:*:*:*:${password}\n`, 0o644);
    const db2 = await openDatabase(config(), { limits: defaultSessionLimits, env: { PGPASSFILE: loose } });
    const err = await db2.test().catch((e: unknown) => e);
    await db2.close();
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/asks for a password and none is stored/);
    expect((err as Error).message).not.toContain(password);
  });

  it('the CLI exits 4 for a wrong password in the URL and never prints it', async () => {
    let out = '';
    let errText = '';
    const io: CliIo = { stdout: (t) => void (out += t), stderr: (t) => void (errText += t), readFile: () => Promise.resolve(''), env: {}, cwd: dir };
    const code = await main(['explain', '--url', `postgres://postgres:${wrong}@127.0.0.1:${port}/postgres?sslmode=disable`, 'SELECT 1'], io);
    expect(code).toBe(4);
    expect(errText).toContain(`127.0.0.1:${port}`);
    expect(errText).toMatch(/password authentication failed/);
    expect(out + errText).not.toContain(wrong);
  });
});
