// Passwords reach only the server they were saved for, through the real driver: a server of our own asks for a
// cleartext password and records every password it receives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionPasswords, legacyPasswordSecretKey, type PasswordRequest, type SecretsPort } from '../../../src/db/connectionPasswords';
import { ConnectionError, PasswordRequiredError } from '../../../src/db/errors';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type ConnectionConfig } from '../../../src/db/types';
import { startFakePgServer, type FakePgServer } from './fakePgServer';

class FakeSecrets implements SecretsPort {
  readonly map = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
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

const serverPassword = 'the-other-servers-pw';
let server: FakePgServer;
const prod: ConnectionConfig = { name: 'prod', driver: 'postgres', host: 'db.internal.example', port: 5432, database: 'shop', user: 'alice', ssl: 'disable' };
let workspaceProd: ConnectionConfig;

beforeAll(async () => {
  server = await startFakePgServer({ password: serverPassword });
  // A trusted repository's .vscode/settings.json defines its own "prod" on another host.
  workspaceProd = { ...prod, host: '127.0.0.1', port: server.port };
});

afterAll(async () => {
  await server?.close();
});

async function connect(passwords: ConnectionPasswords, config: ConnectionConfig, prompt?: (r: PasswordRequest) => Promise<string | undefined>): Promise<unknown> {
  const db = await openDatabase(config, { limits: defaultSessionLimits, env: {}, ...(await passwords.openOptions(config, prompt)) });
  try {
    return await db.test();
  } catch (err) {
    return err;
  } finally {
    await db.close();
  }
}

describe('a password is only ever sent to the server it was saved for', () => {
  it('your "prod" password never reaches a workspace\'s "prod" on another host; without a prompt it fails clearly', async () => {
    const secrets = new FakeSecrets();
    const passwords = new ConnectionPasswords(secrets, {});
    await passwords.store(prod, 'prod-secret');
    await secrets.store(legacyPasswordSecretKey('prod'), 'old-name-keyed-secret');
    const before = server.passwords.length;
    const err = await connect(passwords, workspaceProd);
    expect(err).toBeInstanceOf(PasswordRequiredError);
    expect((err as Error).message).toContain(`127.0.0.1:${server.port}`);
    expect(server.passwords.slice(before)).toEqual([]);
  });

  it('the connect path asks, naming the new server; declining sends nothing', async () => {
    const passwords = new ConnectionPasswords(new FakeSecrets(), {});
    await passwords.store(prod, 'prod-secret');
    const asked: PasswordRequest[] = [];
    const before = server.passwords.length;
    const err = await connect(passwords, workspaceProd, (r) => (asked.push(r), Promise.resolve(undefined)));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(asked).toEqual([{ connection: 'prod', server: `alice@127.0.0.1:${server.port}/shop`, reason: 'required' }]);
    expect(server.passwords.slice(before)).toEqual([]);
  });

  it('an answer is sent to that server only, and saved for it once it worked; the other server keeps its own', async () => {
    const secrets = new FakeSecrets();
    const passwords = new ConnectionPasswords(secrets, {});
    await passwords.store(prod, 'prod-secret');
    const before = server.passwords.length;
    const info = await connect(passwords, workspaceProd, () => Promise.resolve(serverPassword));
    expect((info as { version: string }).version).toMatch(/fake/);
    expect(server.passwords.slice(before)).toEqual([serverPassword]);
    expect(await passwords.get(workspaceProd)).toBe(serverPassword);
    expect(await passwords.get(prod)).toBe('prod-secret');
    // Next time the saved password is used without asking.
    let asked = 0;
    expect(await connect(passwords, workspaceProd, () => (asked++, Promise.resolve(undefined)))).toMatchObject({ dialect: 'postgres' });
    expect(asked).toBe(0);
  });

  it('a refused password asks again (reason "rejected") and replaces the saved one only after it worked', async () => {
    const secrets = new FakeSecrets();
    const passwords = new ConnectionPasswords(secrets, {});
    await passwords.store(workspaceProd, 'stale-password');
    const reasons: string[] = [];
    const before = server.passwords.length;
    expect(await connect(passwords, workspaceProd, (r) => (reasons.push(r.reason), Promise.resolve(serverPassword)))).toMatchObject({ dialect: 'postgres' });
    expect(reasons).toEqual(['rejected']);
    expect(server.passwords.slice(before)).toEqual(['stale-password', serverPassword]);
    expect(await passwords.get(workspaceProd)).toBe(serverPassword);
  });
});
