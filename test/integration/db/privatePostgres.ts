// A private, throw-away PostgreSQL cluster for tests that must restart, stop or misconfigure a server: the shared
// server on 127.0.0.1:5432 serves every engineer's tests and is never touched. initdb a temporary directory, run it on
// a free port with its socket inside the directory, trust (or SCRAM) authentication; restart and stop it at will;
// remove() stops it and deletes everything. initdb and postgres refuse to run as root, so as root every tool runs as
// the `postgres` OS user, which owns the directory.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConnectionConfig } from '../../../src/db/types';

const run = promisify(execFile);

export interface PrivatePostgresOptions {
  /** `trust` (default) or `scram-sha-256` with `password` for the postgres user. */
  auth?: 'trust' | 'scram-sha-256';
  password?: string;
  /** Extra server settings, e.g. `['max_connections=20']`. */
  settings?: string[];
}

export interface PrivatePostgres {
  readonly port: number;
  readonly dir: string;
  /** A configuration reaching the cluster as the postgres user over TCP on 127.0.0.1. */
  config(name?: string, extra?: Partial<ConnectionConfig>): ConnectionConfig;
  /** postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable */
  readonly url: string;
  start(): Promise<void>;
  /** `pg_ctl stop` (fast: sessions are terminated, transactions aborted). */
  stop(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** `pg_ctl restart` in the given mode (fast by default), waiting until it accepts connections again. */
  restart(mode?: 'smart' | 'fast' | 'immediate'): Promise<void>;
  /** Stops the server (if running) and deletes its directory. */
  remove(): Promise<void>;
}

export function pgBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions[0]) throw new Error('initdb not found under /usr/lib/postgresql/*/bin: install the postgresql package (scripts/setup-test-env.sh does)');
  return join(base, versions[0], 'bin');
}

export async function freePort(): Promise<number> {
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

const asRoot = process.getuid?.() === 0;

async function pgTool(bin: string, tool: string, args: string[]): Promise<void> {
  const cmd = join(bin, tool);
  try {
    if (asRoot) await run('runuser', ['-u', 'postgres', '--', cmd, ...args], { timeout: 120_000 });
    else await run(cmd, args, { timeout: 120_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.message}`);
  }
}

export async function startPrivatePostgres(options: PrivatePostgresOptions = {}): Promise<PrivatePostgres> {
  const bin = pgBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'dataeng-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  const auth = options.auth ?? 'trust';
  const initArgs = ['-D', data, '-A', auth, '-U', 'postgres', '--no-sync', '-E', 'UTF8'];
  if (auth !== 'trust') {
    if (!options.password) throw new Error('a password is needed for scram-sha-256');
    const pwfile = join(dir, 'pw');
    writeFileSync(pwfile, `${options.password}\n`);
    initArgs.push(`--pwfile=${pwfile}`);
  }
  if (asRoot) {
    // The postgres user must own the directory it initializes and the log it writes.
    const { uid, gid } = await postgresIds();
    chownSync(dir, uid, gid);
    if (auth !== 'trust') chownSync(join(dir, 'pw'), uid, gid);
  }
  await pgTool(bin, 'initdb', initArgs);
  const port = await freePort();
  const serverOptions = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', '-c fsync=off', '-c full_page_writes=off', ...(options.settings ?? []).map((s) => `-c ${s}`)].join(' ');
  let running = false;
  const cluster: PrivatePostgres = {
    port,
    dir,
    url: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    config: (name = 'private', extra = {}) => ({ name, driver: 'postgres', host: '127.0.0.1', port, user: 'postgres', database: 'postgres', ssl: 'disable', ...extra }),
    async start() {
      await pgTool(bin, 'pg_ctl', ['-D', data, '-o', serverOptions, '-l', log, '-w', '-t', '60', 'start']);
      running = true;
    },
    async stop(mode = 'fast') {
      await pgTool(bin, 'pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
      running = false;
    },
    async restart(mode = 'fast') {
      await pgTool(bin, 'pg_ctl', ['-D', data, '-o', serverOptions, '-l', log, '-m', mode, '-w', '-t', '60', 'restart']);
      running = true;
    },
    async remove() {
      try {
        if (running) await cluster.stop('immediate');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await cluster.start();
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return cluster;
}

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
}
