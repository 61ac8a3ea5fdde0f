import { describe, expect, it } from 'vitest';
import { chooseActive, demoConnection, describeConnection, parseServerTarget, validateConnections } from '../../../src/db/connectionSettings';

describe('validateConnections', () => {
  it('accepts valid entries and keeps settings order', () => {
    const r = validateConnections([
      { name: 'prod', driver: 'postgres', host: 'db.example.com', port: 5433, database: 'shop', user: 'alice', ssl: 'verify-full' },
      { name: 'local file', driver: 'sqlite', file: './app.db' },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.connections.map((c) => c.name)).toEqual(['prod', 'local file']);
    expect(r.connections[0]).toMatchObject({ port: 5433, ssl: 'verify-full' });
  });

  it('gives one clear error per bad entry and keeps the good ones', () => {
    const r = validateConnections([
      { driver: 'postgres' },
      { name: 'a', driver: 'postgres' },
      { name: 'a', driver: 'postgres' },
      { name: 'b', driver: 'oracle' },
      { name: 'c', driver: 'sqlite' },
      { name: 'd', driver: 'postgres', port: 70000 },
      { name: 'e', driver: 'postgres', password: 'hunter2' },
      { name: 'f', driver: 'postgres', ssl: 'maybe' },
      { name: 'g', driver: 'postgres', colour: 'red' },
      'nope',
    ]);
    expect(r.connections.map((c) => c.name)).toEqual(['a']);
    expect(r.errors).toHaveLength(9);
    expect(r.errors[0]).toMatch(/\[0\].*missing "name"/);
    expect(r.errors[1]).toMatch(/duplicate name "a"/);
    expect(r.errors[2]).toMatch(/unknown driver "oracle"/);
    expect(r.errors[3]).toMatch(/sqlite connection needs "file"/);
    expect(r.errors[4]).toMatch(/"port" must be an integer/);
    expect(r.errors[5]).toMatch(/never read from settings/);
    expect(r.errors[5]).not.toContain('hunter2');
    expect(r.errors[6]).toMatch(/"ssl" must be/);
    expect(r.errors[7]).toMatch(/unknown property "colour"/);
    expect(r.errors[8]).toMatch(/must be an object/);
  });

  it('refuses a name that collides with the built-in demo connection', () => {
    expect(validateConnections([{ name: demoConnection.name, driver: 'postgres' }]).errors[0]).toMatch(/duplicate name/);
  });

  it('treats a missing setting as empty and a non-list as an error', () => {
    expect(validateConnections(undefined)).toEqual({ connections: [], errors: [] });
    expect(validateConnections({}).errors[0]).toMatch(/must be a list/);
  });
});

describe('chooseActive and describeConnection', () => {
  const a = { name: 'a', driver: 'postgres' as const, host: 'h', port: 5432, database: 'd', user: 'u' };
  it('defaults to the demo when nothing is configured, else the stored choice or the first', () => {
    expect(chooseActive(undefined, [])).toBe(demoConnection);
    expect(chooseActive('gone', [a])).toBe(a);
    expect(chooseActive(demoConnection.name, [a])).toBe(demoConnection);
  });
  it('describes without secrets', () => {
    expect(describeConnection(a)).toBe('postgres · u@h:5432/d');
    expect(describeConnection({ name: 's', driver: 'sqlite', file: '/x.db' })).toBe('sqlite · /x.db');
  });
});

describe('parseServerTarget (Add Connection, PostgreSQL and MySQL/MariaDB)', () => {
  it('reads user@host:port/database, leaving empty parts to the driver', () => {
    expect(parseServerTarget('root@localhost:3306/shop')).toEqual({ user: 'root', host: 'localhost', port: 3306, database: 'shop' });
    expect(parseServerTarget(' root@localhost:3306/ ')).toEqual({ user: 'root', host: 'localhost', port: 3306 });
    expect(parseServerTarget('db.example.com')).toEqual({ host: 'db.example.com' });
    expect(parseServerTarget('')).toEqual({});
    expect(parseServerTarget('alice@:5432/app')).toEqual({ user: 'alice', port: 5432, database: 'app' });
  });

  it('refuses what does not read so, and ports out of range', () => {
    expect(parseServerTarget('a b@host')).toBeNull();
    expect(parseServerTarget('host:port')).toBeNull();
    expect(parseServerTarget('host:99999')).toBeNull();
    expect(parseServerTarget('host:0')).toBeNull();
  });
});
