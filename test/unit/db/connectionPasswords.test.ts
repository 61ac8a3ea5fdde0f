// Passwords are bound to the server they were saved for (driver, host, port, database, user), never to a connection
// name: the two attacks of issue 11 — a workspace's "prod" on another host, and two workspaces with a "prod" each.
import { describe, expect, it } from 'vitest';
import { ConnectionPasswords, legacyPasswordSecretKey, passwordSecretKey, serverIdentity, type SecretsPort } from '../../../src/db/connectionPasswords';
import type { ConnectionConfig } from '../../../src/db/types';

/** SecretStorage as a Map. */
class FakeSecrets implements SecretsPort {
  readonly map = new Map<string, string>();
  readonly reads: string[] = [];
  get(key: string): Promise<string | undefined> {
    this.reads.push(key);
    return Promise.resolve(this.map.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.map.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.map.delete(key);
    return Promise.resolve();
  }
}

const prod: ConnectionConfig = { name: 'prod', driver: 'postgres', host: 'db.internal.example', port: 5432, database: 'shop', user: 'alice' };
const evilProd: ConnectionConfig = { ...prod, host: 'evil.example' };

describe('the secret key is the server identity', () => {
  it('differs when host, port, database or user differ, whatever the name', () => {
    const base = passwordSecretKey(prod);
    expect(base).toBeDefined();
    for (const change of [{ host: 'evil.example' }, { port: 5433 }, { database: 'other' }, { user: 'mallory' }]) {
      expect(passwordSecretKey({ ...prod, ...change }), JSON.stringify(change)).not.toBe(base);
    }
    expect(passwordSecretKey({ ...prod, name: 'renamed' })).toBe(base);
  });

  it('normalizes what resolves the same: defaults, PG* variables, host case and IPv6 brackets', () => {
    const env = { PGHOST: 'DB.Internal.Example', PGPORT: '5432', PGDATABASE: 'shop', PGUSER: 'alice' };
    expect(passwordSecretKey({ name: 'x', driver: 'postgres' }, env)).toBe(passwordSecretKey(prod));
    expect(passwordSecretKey({ name: 'x', driver: 'postgres', host: 'localhost', port: 5432, user: 'u', database: 'u' })).toBe(
      passwordSecretKey({ name: 'y', driver: 'postgres', user: 'u' }),
    );
    expect(passwordSecretKey({ ...prod, host: '[::1]' })).toBe(passwordSecretKey({ ...prod, host: '::1' }));
    // Names are never resolved: localhost and 127.0.0.1 are different identities.
    expect(passwordSecretKey({ ...prod, host: 'localhost' })).not.toBe(passwordSecretKey({ ...prod, host: '127.0.0.1' }));
    // A host left empty is bound to PGHOST as it is now.
    expect(passwordSecretKey({ name: 'x', driver: 'postgres' }, { PGHOST: 'a.example' })).not.toBe(passwordSecretKey({ name: 'x', driver: 'postgres' }, { PGHOST: 'b.example' }));
  });

  it('has no key for drivers without passwords or an unusable PGPORT', () => {
    expect(passwordSecretKey({ name: 's', driver: 'sqlite', file: '/x.db' })).toBeUndefined();
    expect(passwordSecretKey({ name: 'd', driver: 'demo' })).toBeUndefined();
    expect(serverIdentity({ name: 'p', driver: 'postgres' }, { PGPORT: 'nope' })).toBeUndefined();
  });

  it('is not the old name-only key', () => {
    expect(passwordSecretKey(prod)).not.toBe(legacyPasswordSecretKey('prod'));
  });
});

describe('ConnectionPasswords (the service decision, with a fake SecretStorage)', () => {
  it('attack 1: a workspace that redefines "prod" on its own host gets no password', async () => {
    const secrets = new FakeSecrets();
    const passwords = new ConnectionPasswords(secrets, {});
    await passwords.store(prod, 'prod-secret');
    expect(await passwords.get(prod)).toBe('prod-secret');
    expect(await passwords.get(evilProd)).toBeUndefined();
    const options = await passwords.openOptions(evilProd);
    expect(options.password).toBeUndefined();
    expect(JSON.stringify([...secrets.map.keys()])).not.toContain('evil.example');
  });

  it('attack 2: two workspaces with a same-named connection keep their own passwords', async () => {
    const secrets = new FakeSecrets();
    const passwords = new ConnectionPasswords(secrets, {});
    const workspaceA: ConnectionConfig = { name: 'prod', driver: 'postgres', host: 'a.example', database: 'shop', user: 'alice' };
    const workspaceB: ConnectionConfig = { name: 'prod', driver: 'postgres', host: 'b.example', database: 'shop', user: 'alice' };
    await passwords.store(workspaceA, 'password-a');
    await passwords.store(workspaceB, 'password-b');
    expect(await passwords.get(workspaceA)).toBe('password-a');
    expect(await passwords.get(workspaceB)).toBe('password-b');
  });

  it('never reads or sends a password saved under the old name-only key, and removes it', async () => {
    const secrets = new FakeSecrets();
    await secrets.store(legacyPasswordSecretKey('prod'), 'old-name-keyed');
    const passwords = new ConnectionPasswords(secrets, {});
    const options = await passwords.openOptions(evilProd);
    expect(options.password).toBeUndefined();
    expect(secrets.reads).not.toContain(legacyPasswordSecretKey('prod'));
    expect(secrets.map.has(legacyPasswordSecretKey('prod'))).toBe(false);
  });

  it('a changed host asks again, names the new server, and saves the answer for that server only', async () => {
    const secrets = new FakeSecrets();
    const passwords = new ConnectionPasswords(secrets, {});
    await passwords.store(prod, 'prod-secret');
    const asked: unknown[] = [];
    const options = await passwords.openOptions(evilProd, (request) => (asked.push(request), Promise.resolve('typed-for-evil')));
    expect(options.password).toBeUndefined();
    expect(await options.askPassword?.('required')).toBe('typed-for-evil');
    expect(asked).toEqual([{ connection: 'prod', server: 'alice@evil.example:5432/shop', reason: 'required' }]);
    await options.onPasswordAccepted?.('typed-for-evil');
    expect(await passwords.get(evilProd)).toBe('typed-for-evil');
    expect(await passwords.get(prod)).toBe('prod-secret');
  });

  it('forget removes the identity password and the old name-keyed one', async () => {
    const secrets = new FakeSecrets();
    const passwords = new ConnectionPasswords(secrets, {});
    await passwords.store(prod, 'prod-secret');
    await secrets.store(legacyPasswordSecretKey('prod'), 'old');
    await passwords.forget(prod);
    expect(secrets.map.size).toBe(0);
  });
});
