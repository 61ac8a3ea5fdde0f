// Builds the model client from settings and the stored key; null when no key is configured (a normal state).
import * as vscode from 'vscode';
import { createLlmClient, type LlmClient } from '../../llm/client';
import type { ApiKeyStore } from './apiKey';

export async function llmFromSettings(keys: ApiKeyStore): Promise<LlmClient | null> {
  const apiKey = await keys.get();
  if (!apiKey) return null;
  const config = vscode.workspace.getConfiguration('dataeng');
  return createLlmClient({
    apiKey,
    model: config.get<string>('model'),
    maxTokens: config.get<number>('maxTokens'),
    // In Restricted Mode VS Code ignores the workspace's value of this setting (restrictedConfigurations).
    baseUrl: config.get<string>('anthropic.baseUrl'),
    env: process.env,
  });
}
