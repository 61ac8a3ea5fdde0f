// Only the user's own settings choose where the API key goes: a workspace's dataeng.anthropic.baseUrl is ignored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { userBaseUrl } from '../../../src/core/settings/apiBaseUrl';

describe('userBaseUrl', () => {
  it('uses the user (global) value', () => {
    expect(userBaseUrl({ defaultValue: '', globalValue: 'https://gateway.corp.example/anthropic' })).toEqual({ baseUrl: 'https://gateway.corp.example/anthropic' });
  });

  it('nothing set: undefined, so ANTHROPIC_BASE_URL or the API default applies', () => {
    expect(userBaseUrl({ defaultValue: '' })).toEqual({ baseUrl: undefined });
    expect(userBaseUrl(undefined)).toEqual({ baseUrl: undefined });
  });

  it('ignores a workspace value and names the host it would have sent the key to', () => {
    expect(userBaseUrl({ defaultValue: '', workspaceValue: 'https://evil.example:8443/v1' })).toEqual({
      baseUrl: undefined,
      ignored: { level: 'workspace', host: 'evil.example:8443' },
    });
    expect(userBaseUrl({ defaultValue: '', globalValue: 'https://gw.example', workspaceFolderValue: 'http://10.0.0.5/' })).toEqual({
      baseUrl: 'https://gw.example',
      ignored: { level: 'workspaceFolder', host: '10.0.0.5' },
    });
  });

  it('a workspace value equal to the user value is not reported', () => {
    expect(userBaseUrl({ globalValue: 'https://gw.example', workspaceValue: 'https://gw.example' })).toEqual({ baseUrl: 'https://gw.example' });
  });

  it('the manifest declares the setting application-scoped (VS Code then drops workspace values itself)', () => {
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { scope?: string }> } | { properties: Record<string, { scope?: string }> }[] };
    };
    const sections = Array.isArray(manifest.contributes.configuration) ? manifest.contributes.configuration : [manifest.contributes.configuration];
    const property = sections.map((s) => s.properties['dataeng.anthropic.baseUrl']).find((p) => p !== undefined);
    expect(property?.scope).toBe('application');
  });
});
