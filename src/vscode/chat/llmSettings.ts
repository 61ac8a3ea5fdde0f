// Builds the model client from settings and the stored key; null when no key is configured (a normal state).
import * as vscode from 'vscode';
import { chooseModel } from '../../core/persona/model';
import { userBaseUrl } from '../../core/settings/apiBaseUrl';
import { createLlmClient, type LlmClient } from '../../llm/client';
import { defaultModel, modelAliases } from '../../llm/model';
import type { ApiKeyStore } from './apiKey';

/** The last ignored workspace value we warned about, so the log says it once, not on every question. */
let warnedAbout: string | undefined;

/** `dataeng.model` only where the user set it (any level), never its default: a persona's model comes before that. */
function userModel(config: vscode.WorkspaceConfiguration): string | undefined {
  const i = config.inspect<string>('model');
  return i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
}

export async function llmFromSettings(keys: ApiKeyStore, log?: Pick<vscode.LogOutputChannel, 'warn'>, personaModel?: string): Promise<LlmClient | null> {
  const apiKey = await keys.get();
  if (!apiKey) return null;
  const config = vscode.workspace.getConfiguration('dataeng');
  // Where the key goes is the user's choice alone: a workspace's dataeng.anthropic.baseUrl is ignored (the setting is
  // application-scoped, and userBaseUrl reads only user and default values in case a host does not honour the scope).
  const { baseUrl, ignored } = userBaseUrl(config.inspect<string>('anthropic.baseUrl'));
  if (ignored && warnedAbout !== `${ignored.level}:${ignored.host}`) {
    warnedAbout = `${ignored.level}:${ignored.host}`;
    log?.warn(
      `Ignored dataeng.anthropic.baseUrl from the ${ignored.level === 'workspace' ? 'workspace' : 'workspace folder'} settings (host ${ignored.host}): ` +
        'only your user settings may choose where the API key is sent.',
    );
  }
  return createLlmClient({
    apiKey,
    // The chat has no per-question model picker: the setting when the user set it > the persona's model > the default.
    model: chooseModel({ userSetting: userModel(config), persona: personaModel }, modelAliases, defaultModel).model,
    maxTokens: config.get<number>('maxTokens'),
    baseUrl,
    env: process.env,
  });
}
