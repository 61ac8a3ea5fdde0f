// dataeng.verify.*: a workspace may turn automatic verification off and lower the build cap, never the reverse.
import { describe, expect, it } from 'vitest';
import { defaultMaxTableBytes, effectiveMaxTableBytes, effectiveVerifyAuto } from '../../../src/core/settings/verifySettings';

describe('verify settings', () => {
  it('auto: on by default; the user decides; a workspace can only turn it off', () => {
    expect(effectiveVerifyAuto(undefined)).toBe(true);
    expect(effectiveVerifyAuto({ defaultValue: true, globalValue: false })).toBe(false);
    expect(effectiveVerifyAuto({ defaultValue: true, workspaceValue: false })).toBe(false);
    expect(effectiveVerifyAuto({ defaultValue: true, globalValue: false, workspaceValue: true })).toBe(false);
    expect(effectiveVerifyAuto({ defaultValue: true, workspaceFolderValue: 'yes' })).toBe(true);
  });

  it('maxTableBytes: the user\'s cap, lowered (never raised) by a workspace; junk ignored', () => {
    expect(effectiveMaxTableBytes(undefined)).toBe(defaultMaxTableBytes);
    expect(effectiveMaxTableBytes({ defaultValue: defaultMaxTableBytes, globalValue: 1e9 })).toBe(1e9);
    expect(effectiveMaxTableBytes({ defaultValue: defaultMaxTableBytes, workspaceValue: 1e12 })).toBe(defaultMaxTableBytes);
    expect(effectiveMaxTableBytes({ defaultValue: defaultMaxTableBytes, workspaceValue: 1024 })).toBe(1024);
    expect(effectiveMaxTableBytes({ defaultValue: defaultMaxTableBytes, workspaceFolderValue: -5, globalValue: 'x' })).toBe(defaultMaxTableBytes);
  });
});
