// A workspace may make `dataeng.explain.analyze` stricter than the user's choice, never looser: every combination.
import { describe, expect, it } from 'vitest';
import { effectiveAnalyzeSetting, type AnalyzeSetting } from '../../../src/core/settings/analyzeSetting';

const values: AnalyzeSetting[] = ['never', 'ask', 'readsOnly'];
const rank = (v: AnalyzeSetting): number => values.indexOf(v);
const strictest = (...vs: AnalyzeSetting[]): AnalyzeSetting => vs.reduce((a, b) => (rank(b) < rank(a) ? b : a));

describe('effectiveAnalyzeSetting', () => {
  it('is the default (ask) when nothing is set, and the user value when only the user set it', () => {
    expect(effectiveAnalyzeSetting(undefined)).toBe('ask');
    expect(effectiveAnalyzeSetting({})).toBe('ask');
    expect(effectiveAnalyzeSetting({ defaultValue: 'ask' })).toBe('ask');
    for (const user of values) expect(effectiveAnalyzeSetting({ defaultValue: 'ask', globalValue: user })).toBe(user);
  });

  it('a workspace cannot loosen the default: readsOnly in .vscode/settings.json alone still asks', () => {
    expect(effectiveAnalyzeSetting({ defaultValue: 'ask', workspaceValue: 'readsOnly' })).toBe('ask');
    expect(effectiveAnalyzeSetting({ defaultValue: 'ask', workspaceFolderValue: 'readsOnly' })).toBe('ask');
  });

  it('every combination of user, workspace and folder values gives the strictest of them', () => {
    const levels: (AnalyzeSetting | undefined)[] = [undefined, ...values];
    for (const user of levels) {
      for (const workspace of levels) {
        for (const folder of levels) {
          const inspected = {
            defaultValue: 'ask',
            ...(user ? { globalValue: user } : {}),
            ...(workspace ? { workspaceValue: workspace } : {}),
            ...(folder ? { workspaceFolderValue: folder } : {}),
          };
          const own = user ?? 'ask';
          const expected = strictest(own, ...(workspace ? [workspace] : []), ...(folder ? [folder] : []));
          expect(effectiveAnalyzeSetting(inspected), JSON.stringify(inspected)).toBe(expected);
          // Never looser than the user's own choice.
          expect(rank(effectiveAnalyzeSetting(inspected))).toBeLessThanOrEqual(rank(own));
        }
      }
    }
  });

  it('ignores values that are not one of the three, at every level', () => {
    expect(effectiveAnalyzeSetting({ defaultValue: 'ask', globalValue: 'always' })).toBe('ask');
    expect(effectiveAnalyzeSetting({ defaultValue: 'ask', globalValue: 'readsOnly', workspaceValue: 'yes please' })).toBe('readsOnly');
    expect(effectiveAnalyzeSetting({ defaultValue: 'ask', globalValue: 'readsOnly', workspaceValue: 1, workspaceFolderValue: null })).toBe('readsOnly');
    expect(effectiveAnalyzeSetting({ defaultValue: 'ask', globalValue: 'toString' })).toBe('ask');
  });
});
