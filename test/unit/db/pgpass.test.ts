import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConnectionError, scrubSecrets } from '../../../src/db/errors';
import { parseConnectionUrl } from '../../../src/db/open';
import { lookupPgpass, parsePgpassLine, readPgpass } from '../../../src/db/postgres/pgpass';
import { resolvePgParams } from '../../../src/db/postgres/resolve';

const dir = mkdtempSync(join(tmpdir(), 'dataeng-pgpass-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pgpassFile(text: string, mode = 0o600): string {
  const path = join(dir, `pgpass-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('.pgpass parsing', () => {
  it('splits fields with \\: and \\\\ escapes, keeps colons in the password', () => {
    expect(parsePgpassLine('db\\:1:5432:shop:alice:pa\\:ss\\\\word')).toEqual({ host: 'db:1', port: '5432', database: 'shop', user: 'alice', password: 'pa:ss\\word' });
    expect(parsePgpassLine('h:1:d:u:a:b:c')?.password).toBe('a:b:c');
    expect(parsePgpassLine('# comment')).toBeNull();
    expect(parsePgpassLine('too:few:fields')).toBeNull();
  });

  it('matches wildcards and takes the first matching line', () => {
    const text = ['otherhost:*:*:*:nope', '*:5433:*:alice:five-four-three-three', 'db.example.com:*:shop:*:shop-pw', '*:*:*:*:fallback'].join('\n');
    expect(lookupPgpass(text, { host: 'db.example.com', port: 5432, database: 'shop', user: 'bob' })).toBe('shop-pw');
    expect(lookupPgpass(text, { host: 'x', port: 5433, database: 'any', user: 'alice' })).toBe('five-four-three-three');
    expect(lookupPgpass(text, { host: 'x', port: 5432, database: 'any', user: 'alice' })).toBe('fallback');
    expect(lookupPgpass('localhost:*:*:*:sock', { host: '/var/run/postgresql', port: 5432, database: 'd', user: 'u' })).toBe('sock');
  });

  it('ignores a file readable by group or others, with a warning (like libpq)', () => {
    const open = pgpassFile('*:*:*:*:secret', 0o644);
    const r = readPgpass({ host: 'h', port: 5432, database: 'd', user: 'u' }, { PGPASSFILE: open }, 'linux');
    expect(r.password).toBeUndefined();
    expect(r.warning).toMatch(/group or world access/);
    const ok = pgpassFile('*:*:*:*:secret', 0o600);
    expect(readPgpass({ host: 'h', port: 5432, database: 'd', user: 'u' }, { PGPASSFILE: ok }, 'linux').password).toBe('secret');
    expect(readPgpass({ host: 'h', port: 5432, database: 'd', user: 'u' }, { PGPASSFILE: join(dir, 'missing') }, 'linux')).toEqual({});
  });
});

describe('resolvePgParams: explicit > PG* env > defaults', () => {
  it('takes the PG* variables when the configuration is silent', () => {
    const p = resolvePgParams(
      { name: 'x', driver: 'postgres' },
      { env: { PGHOST: 'envhost', PGPORT: '6543', PGDATABASE: 'envdb', PGUSER: 'envuser', PGSSLMODE: 'require', PGAPPNAME: 'envapp', PGCONNECT_TIMEOUT: '7', PGPASSWORD: 'envpw' } },
    );
    expect(p).toMatchObject({ host: 'envhost', port: 6543, database: 'envdb', user: 'envuser', sslMode: 'require', applicationName: 'envapp', connectTimeoutSec: 7, password: 'envpw', passwordSource: 'PGPASSWORD' });
  });

  it('explicit configuration and password win over the environment', () => {
    const p = resolvePgParams(
      { name: 'x', driver: 'postgres', host: 'h', port: 5432, database: 'd', user: 'u', ssl: 'disable', application_name: 'a' },
      { password: 'explicit', env: { PGHOST: 'envhost', PGPORT: '6543', PGUSER: 'envuser', PGSSLMODE: 'require', PGPASSWORD: 'envpw' } },
    );
    expect(p).toMatchObject({ host: 'h', port: 5432, database: 'd', user: 'u', sslMode: 'disable', applicationName: 'a', password: 'explicit', passwordSource: 'explicit' });
  });

  it('defaults like libpq: localhost, 5432, database = user, sslmode prefer; the password file last', () => {
    const file = pgpassFile('localhost:5432:alice:alice:from-file');
    const p = resolvePgParams({ name: 'x', driver: 'postgres', user: 'alice' }, { env: { PGPASSFILE: file } });
    expect(p).toMatchObject({ host: 'localhost', port: 5432, database: 'alice', sslMode: 'prefer', password: 'from-file', passwordSource: 'pgpass' });
    const none = resolvePgParams({ name: 'x', driver: 'postgres', user: 'bob' }, { env: { PGPASSFILE: file } });
    expect(none.passwordSource).toBe('none');
  });

  it('rejects a bad PGPORT or PGSSLMODE with a clear error', () => {
    expect(() => resolvePgParams({ name: 'x', driver: 'postgres' }, { env: { PGPORT: 'abc' } })).toThrow(ConnectionError);
    expect(() => resolvePgParams({ name: 'x', driver: 'postgres' }, { env: { PGSSLMODE: 'sometimes' } })).toThrow(/invalid sslmode/);
  });
});

describe('connection URLs and scrubbing', () => {
  it('parses postgres URLs with percent-encoding and parameters', () => {
    const r = parseConnectionUrl('postgresql://al%40ice:p%3Ass@[::1]:6000/my%20db?sslmode=verify-full&application_name=x');
    expect(r.config).toMatchObject({ driver: 'postgres', user: 'al@ice', host: '::1', port: 6000, database: 'my db', ssl: 'verify-full', application_name: 'x' });
    expect(r.password).toBe('p:ss');
    expect(() => parseConnectionUrl('postgres://h/db?bogus=1')).toThrow(/unknown connection URL parameter "bogus"/);
    expect(() => parseConnectionUrl('postgres://h/db?sslmode=maybe')).toThrow(/invalid sslmode/);
  });

  it('parses sqlite and demo URLs', () => {
    expect(parseConnectionUrl('sqlite:///abs/x.db').config).toMatchObject({ driver: 'sqlite', file: '/abs/x.db' });
    expect(parseConnectionUrl('sqlite:rel/x.db').config).toMatchObject({ driver: 'sqlite', file: 'rel/x.db' });
    expect(parseConnectionUrl('demo').config.driver).toBe('demo');
    expect(() => parseConnectionUrl('sqlite://host/x.db')).toThrow(/host part/);
    expect(() => parseConnectionUrl('oracle://u:topsecret@h/db')).toThrow(/unsupported/);
    expect(parseConnectionUrl('mariadb://u:topsecret@h:3307/db')).toMatchObject({ config: { driver: 'mysql', host: 'h', port: 3307, user: 'u', database: 'db' }, password: 'topsecret' });
    expect(() => parseConnectionUrl('oracle://u:topsecret@h/db')).not.toThrow(/topsecret/);
  });

  it('scrubs passwords, URL credentials and password= parameters from messages', () => {
    expect(scrubSecrets('failed for postgres://bob:s3cr3t@h/db', [])).toBe('failed for postgres://bob:***@h/db');
    expect(scrubSecrets('password=s3cr3t host=h')).toBe('password=*** host=h');
    expect(scrubSecrets('auth failed: p@ss and p%40ss', ['p@ss'])).toBe('auth failed: *** and ***');
  });
});
