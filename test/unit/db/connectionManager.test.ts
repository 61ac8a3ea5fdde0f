import { describe, expect, it } from 'vitest';
import { ConnectionManager } from '../../../src/db/open';
import type { ConnectionConfig, Database, ExplainResult, ServerInfo } from '../../../src/db/types';

/** A Database port fake: records closes; the real drivers are exercised in test/integration/db. */
class FakeDatabase implements Database {
  readonly dialect = 'postgres' as const;
  closed = 0;
  constructor(readonly config: ConnectionConfig) {}
  test(): Promise<ServerInfo> {
    return Promise.resolve({ dialect: 'postgres', version: 'fake', database: 'fake' });
  }
  explain(): Promise<ExplainResult> {
    return Promise.reject(new Error('not used'));
  }
  introspect(): Promise<never> {
    return Promise.reject(new Error('not used'));
  }
  cancel(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.closed++;
    return Promise.resolve();
  }
}

describe('ConnectionManager', () => {
  const a: ConnectionConfig = { name: 'a', driver: 'postgres', host: 'h1' };

  it('opens once per name and reuses the open database', async () => {
    let opened = 0;
    const m = new ConnectionManager((c) => (opened++, Promise.resolve(new FakeDatabase(c))));
    const [x, y] = await Promise.all([m.get(a), m.get(a)]);
    expect(x).toBe(y);
    expect(opened).toBe(1);
  });

  it('closes and reopens when the configuration of a name changes', async () => {
    const made: FakeDatabase[] = [];
    const m = new ConnectionManager((c) => {
      const db = new FakeDatabase(c);
      made.push(db);
      return Promise.resolve(db);
    });
    await m.get(a);
    const second = await m.get({ ...a, host: 'h2' });
    expect(made).toHaveLength(2);
    expect(made[0]!.closed).toBe(1);
    expect(second.config.host).toBe('h2');
    await m.closeAll();
    expect(made[1]!.closed).toBe(1);
    expect(m.has('a')).toBe(false);
  });

  it('does not cache a failed open', async () => {
    let attempts = 0;
    const m = new ConnectionManager((c) => {
      attempts++;
      return attempts === 1 ? Promise.reject(new Error('down')) : Promise.resolve(new FakeDatabase(c));
    });
    await expect(m.get(a)).rejects.toThrow('down');
    await new Promise((r) => setTimeout(r, 0));
    await expect(m.get(a)).resolves.toBeInstanceOf(FakeDatabase);
    expect(attempts).toBe(2);
  });
});
