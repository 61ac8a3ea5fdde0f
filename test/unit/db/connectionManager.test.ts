import { describe, expect, it } from 'vitest';
import { ConnectionManager } from '../../../src/db/open';
import type { ConnectionConfig, Database, ExplainResult, ServerInfo } from '../../../src/db/types';

/** A Database port fake: records closes; the real drivers are exercised in test/integration/db. */
class FakeDatabase implements Database {
  readonly dialect = 'postgres' as const;
  closed = 0;
  constructor(readonly config: ConnectionConfig) {}
  async test(): Promise<ServerInfo> {
    return { dialect: 'postgres', version: 'fake', database: 'fake' };
  }
  async explain(): Promise<ExplainResult> {
    throw new Error('not used');
  }
  async introspect(): Promise<never> {
    throw new Error('not used');
  }
  async cancel(): Promise<void> {}
  async close(): Promise<void> {
    this.closed++;
  }
}

describe('ConnectionManager', () => {
  const a: ConnectionConfig = { name: 'a', driver: 'postgres', host: 'h1' };

  it('opens once per name and reuses the open database', async () => {
    let opened = 0;
    const m = new ConnectionManager(async (c) => (opened++, new FakeDatabase(c)));
    const [x, y] = await Promise.all([m.get(a), m.get(a)]);
    expect(x).toBe(y);
    expect(opened).toBe(1);
  });

  it('closes and reopens when the configuration of a name changes', async () => {
    const made: FakeDatabase[] = [];
    const m = new ConnectionManager(async (c) => {
      const db = new FakeDatabase(c);
      made.push(db);
      return db;
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
    const m = new ConnectionManager(async (c) => {
      attempts++;
      if (attempts === 1) throw new Error('down');
      return new FakeDatabase(c);
    });
    await expect(m.get(a)).rejects.toThrow('down');
    await new Promise((r) => setTimeout(r, 0));
    await expect(m.get(a)).resolves.toBeInstanceOf(FakeDatabase);
    expect(attempts).toBe(2);
  });
});
