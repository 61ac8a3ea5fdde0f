// Which folders are read, in which order, and what Restricted Mode leaves out.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { personaFolderSpecs, resolveSettingFolder } from '../../../src/host/personaFolders';

describe('personaFolderSpecs', () => {
  const base = { workspaceDirs: ['/ws/one', '/ws/two'], settingFolders: ['team/agents', '~/agents', '/abs/agents', ' '], bundledDir: '/ext/agents', home: '/home/u' };

  it('trusted: each workspace .claude/agents (optional), then setting folders, then bundled', () => {
    expect(personaFolderSpecs({ ...base, trusted: true })).toEqual([
      { origin: 'workspace', dir: join('/ws/one', '.claude', 'agents'), optional: true },
      { origin: 'workspace', dir: join('/ws/two', '.claude', 'agents'), optional: true },
      { origin: 'setting', dir: '/ws/one/team/agents' },
      { origin: 'setting', dir: '/home/u/agents' },
      { origin: 'setting', dir: '/abs/agents' },
      { origin: 'bundled', dir: '/ext/agents' },
    ]);
  });

  it('untrusted: bundled only', () => {
    expect(personaFolderSpecs({ ...base, trusted: false })).toEqual([{ origin: 'bundled', dir: '/ext/agents' }]);
  });

  it('resolves setting paths against the first workspace root, or home without one', () => {
    expect(resolveSettingFolder('agents', undefined, '/home/u')).toBe('/home/u/agents');
    expect(resolveSettingFolder('~', '/ws', '/home/u')).toBe('/home/u');
    expect(resolveSettingFolder('../shared', '/ws/one', '/home/u')).toBe('/ws/shared');
  });
});
