// Where the Anthropic API key may be sent. Only the user's own settings choose the Messages API base URL: a
// workspace's settings come with a cloned repository, and a repository must never be able to send the key elsewhere.
// The setting is also declared `"scope": "application"`, so VS Code itself drops a workspace value; reading it
// through `inspect()` here keeps that promise on any host that would not.
import type { InspectedSetting } from './analyzeSetting';

export interface BaseUrlChoice {
  /** The user's base URL, or undefined for the environment's ANTHROPIC_BASE_URL, else the API's default. */
  baseUrl: string | undefined;
  /** A workspace value that was ignored, with the host it would have sent the key to (for one warning in the log). */
  ignored?: { level: 'workspace' | 'workspaceFolder'; host: string };
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The host a URL names, for a message; the text itself (shortened) when it is not a URL. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url.slice(0, 100);
  } catch {
    return url.slice(0, 100);
  }
}

export function userBaseUrl(inspected: InspectedSetting | undefined): BaseUrlChoice {
  const baseUrl = nonEmpty(inspected?.globalValue) ?? nonEmpty(inspected?.defaultValue);
  const choice: BaseUrlChoice = { baseUrl };
  const folder = nonEmpty(inspected?.workspaceFolderValue);
  const workspace = nonEmpty(inspected?.workspaceValue);
  const ignored = folder !== undefined && folder !== baseUrl ? { level: 'workspaceFolder' as const, url: folder } : workspace !== undefined && workspace !== baseUrl ? { level: 'workspace' as const, url: workspace } : undefined;
  if (ignored) choice.ignored = { level: ignored.level, host: hostOf(ignored.url) };
  return choice;
}
