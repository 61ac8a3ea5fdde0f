// Workspace state that survives a browser refresh: every update is on disk at once, and a new instance (a new
// extension host after the refresh) reads it back; older values still come from VS Code's workspaceState.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DurableState, type MementoLike } from '../../../src/host/durableState';

const dir = mkdtempSync(join(tmpdir(), 'dataeng-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A workspaceState that, like the web build's, loses everything it held when the page goes away. */
function volatileMemento(initial: Record<string, unknown> = {}): MementoLike {
  const values = new Map(Object.entries(initial));
  return {
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: (key: string, value: unknown) => {
      values.set(key, value);
      return Promise.resolve();
    },
  };
}

const storage = (path: string) => path;

describe('DurableState', () => {
  it('a conversation written before a refresh is there after it, although workspaceState lost it', async () => {
    const folder = join(dir, 'ws1');
    const before = new DurableState(volatileMemento(), storage(folder));
    await before.update('dataeng.chat.conversation', [{ requestId: 'w1', role: 'user', text: 'hello' }]);
    await before.update('dataeng.persona.selected', 'data-engineer');
    const after = new DurableState(volatileMemento(), storage(folder));
    expect(after.get('dataeng.chat.conversation')).toEqual([{ requestId: 'w1', role: 'user', text: 'hello' }]);
    expect(after.get('dataeng.persona.selected')).toBe('data-engineer');
  });

  it('falls back to workspaceState for keys it never wrote, and removes a key set to undefined', async () => {
    const folder = join(dir, 'ws2');
    const state = new DurableState(volatileMemento({ old: 'from workspaceState' }), storage(folder));
    expect(state.get('old')).toBe('from workspaceState');
    expect(state.get('missing', 42)).toBe(42);
    await state.update('k', 'v');
    await state.update('k', undefined);
    expect(new DurableState(volatileMemento(), storage(folder)).get('k')).toBeUndefined();
  });

  it('writes whole files only, in order, and reports an unreadable file instead of failing', async () => {
    const folder = join(dir, 'ws3');
    const state = new DurableState(volatileMemento(), storage(folder));
    await Promise.all(Array.from({ length: 20 }, (_, i) => state.update('n', i)));
    expect(JSON.parse(readFileSync(join(folder, 'state.json'), 'utf8'))).toEqual({ n: 19 });
    writeFileSync(join(folder, 'state.json'), '{ half');
    const errors: string[] = [];
    const broken = new DurableState(volatileMemento({ n: 'memento' }), storage(folder), (m) => errors.push(m));
    expect(broken.get('n')).toBe('memento');
    expect(errors[0]).toMatch(/unreadable/);
  });

  it('without a file storage it is workspaceState alone', async () => {
    const memento = volatileMemento();
    const state = new DurableState(memento, undefined);
    await state.update('a', 1);
    expect(memento.get('a')).toBe(1);
    expect(state.get('a')).toBe(1);
  });
});
