// VS Code's face of the tools: language-model tools for agent mode (`vscode.lm.registerTool`), the same seven tools
// as `dataeng mcp`, run by the same registry on the extension's own connections, with the editor's consent modal.
// Trusted workspaces only: the contributions carry `when: isWorkspaceTrusted`, and a call in Restricted Mode fails.
import * as vscode from 'vscode';
import { analyzeSetting, askInEditor } from '../connections/explainWithConsent';
import { createToolRegistry } from '../../app/tools/registry';
import { connectionTarget } from '../../app/tools/connectionList';
import type { ToolDatabasePort } from '../../app/tools/ports';
import { externalFaceTools, languageModelToolName, toolConfirmation } from '../../core/tools/externalFaces';
import type { ToolName, ToolRegistry } from '../../core/tools/types';
import type { Services } from '../services';

type ToolInput = Record<string, unknown>;

/** The database port on the extension's connections: the active one by default, the editor's modal for consent. */
export function editorToolDatabase(services: Services): ToolDatabasePort {
  return {
    open: (name) => services.connections.open(name),
    list: () => {
      const active = services.connections.activeName();
      return services.connections.configured().map((c) => ({ name: c.name, driver: c.driver, target: connectionTarget(c), isDefault: c.name === active }));
    },
    consent: { ask: askInEditor, withoutConsent: 'plain' },
    analyzeSetting,
  };
}

function redactSetting(): boolean {
  return vscode.workspace.getConfiguration('dataeng').get<boolean>('privacy.redactLiterals', false);
}

export function registerLanguageModelTools(services: Services): void {
  const lm = vscode.lm as Partial<typeof vscode.lm> | undefined;
  if (typeof lm?.registerTool !== 'function') {
    services.log.info('language-model tools are not available in this VS Code');
    return;
  }
  let registry: ToolRegistry | undefined;
  const tools = (): ToolRegistry => (registry ??= createToolRegistry({ database: editorToolDatabase(services) }, { offered: externalFaceTools }));
  for (const tool of externalFaceTools) services.own(lm.registerTool<ToolInput>(languageModelToolName(tool), languageModelTool(services, tool, tools)));
}

/** One tool: the confirmation shows the SQL and the connection; the result is the registry's text (errors thrown). */
export function languageModelTool(services: Services, tool: ToolName, tools: () => ToolRegistry): vscode.LanguageModelTool<ToolInput> {
  return {
    prepareInvocation(options) {
      const input = options.input ?? {};
      const connection = typeof input.connection === 'string' ? input.connection : (services.connections.activeName() ?? 'none');
      const c = toolConfirmation(tool, input, connection);
      return {
        invocationMessage: c.invocation,
        ...(c.title && c.message ? { confirmationMessages: { title: c.title, message: new vscode.MarkdownString(c.message) } } : {}),
      };
    },
    async invoke(options, token) {
      if (!vscode.workspace.isTrusted) throw new Error('This workspace is in Restricted Mode: Data Engineer Assistant opens no database connection until the workspace is trusted.');
      const { connection, ...input } = options.input ?? {};
      if (connection !== undefined && typeof connection !== 'string') throw new Error(`Invalid input for ${tool}: connection must be a connection name (a string).`);
      const controller = new AbortController();
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        const outcome = await tools().run(tool, input, { signal: controller.signal, redact: redactSetting(), ...(connection !== undefined ? { connection } : {}) });
        services.log.info(`language-model tool ${tool}: ${outcome.isError ? 'error' : 'ok'} (${outcome.summary})`);
        // An error thrown from invoke reaches the model as the tool's error result.
        if (outcome.isError) throw new Error(outcome.text);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(outcome.text)]);
      } finally {
        sub.dispose();
      }
    },
  };
}
