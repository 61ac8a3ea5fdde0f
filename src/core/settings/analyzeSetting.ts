// Which `dataeng.explain.analyze` applies. A workspace (a repository's `.vscode/settings.json`, a folder's settings)
// may make EXPLAIN ANALYZE stricter than the user's own choice, never looser: opening a repository must not make the
// extension execute statements that the user asked to be asked about.

/** `dataeng.explain.analyze`: the one list of values, used by the consent policy (src/app/consent.ts) too. */
export type AnalyzeSetting = 'never' | 'ask' | 'readsOnly';

export const analyzeSettings: readonly AnalyzeSetting[] = ['never', 'ask', 'readsOnly'];

/**
 * The setting at each level, as `WorkspaceConfiguration.inspect()` returns it. Values are `unknown` because settings
 * files are hand-edited JSON: anything that is not one of the three values is ignored at its level.
 */
export interface InspectedSetting {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/** From strictest to loosest: `never` executes nothing, `ask` asks every time, `readsOnly` runs reads without asking. */
const looseness: Readonly<Record<AnalyzeSetting, number>> = { never: 0, ask: 1, readsOnly: 2 };

function isAnalyzeSetting(value: unknown): value is AnalyzeSetting {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(looseness, value);
}

/**
 * The effective value: the user's own choice (user settings, else the default, else `ask`), made stricter by a
 * workspace or workspace-folder value that is stricter, and never looser.
 */
export function effectiveAnalyzeSetting(inspected: InspectedSetting | undefined): AnalyzeSetting {
  const own = [inspected?.globalValue, inspected?.defaultValue].find(isAnalyzeSetting) ?? 'ask';
  let effective: AnalyzeSetting = own;
  for (const value of [inspected?.workspaceValue, inspected?.workspaceFolderValue]) {
    if (isAnalyzeSetting(value) && looseness[value] < looseness[effective]) effective = value;
  }
  return effective;
}
