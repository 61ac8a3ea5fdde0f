// The `dataeng.verify.*` settings as they apply. Both are safety settings a workspace may tighten, never loosen: a
// repository's `.vscode/settings.json` can turn automatic verification off or lower the size cap for test builds, but
// it cannot turn verification on against the user's choice, nor raise the cap above what the user allows.
import type { InspectedSetting } from './analyzeSetting';

/** The default of `dataeng.verify.maxTableBytes`: 256 MiB. */
export const defaultMaxTableBytes = 256 * 1024 * 1024;

function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

function bytes(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : undefined;
}

/** `dataeng.verify.auto`: the user's choice (default on); a workspace may only turn it off. */
export function effectiveVerifyAuto(inspected: InspectedSetting | undefined): boolean {
  const own = bool(inspected?.globalValue) ?? bool(inspected?.defaultValue) ?? true;
  const workspace = [inspected?.workspaceValue, inspected?.workspaceFolderValue].map(bool);
  return own && !workspace.includes(false);
}

/** `dataeng.verify.maxTableBytes`: the user's cap (default 256 MiB); a workspace may only lower it. */
export function effectiveMaxTableBytes(inspected: InspectedSetting | undefined): number {
  const own = bytes(inspected?.globalValue) ?? bytes(inspected?.defaultValue) ?? defaultMaxTableBytes;
  return Math.min(own, ...[inspected?.workspaceValue, inspected?.workspaceFolderValue].map(bytes).filter((v): v is number => v !== undefined));
}
