// Offers `dataeng mcp` to every MCP client inside VS Code (agent mode, other extensions' agents) with the workspace's
// connections, through `vscode.lm.registerMcpServerDefinitionProvider` (VS Code 1.101+). VS Code 1.100 lacks the API:
// it is feature-detected and skipped there. The server is the CLI bundled in the extension (dist/cli.js), started on
// the extension host's own runtime; passwords saved in SecretStorage reach it only through its environment
// (DATAENG_PASSWORD_<NAME>), never its arguments, and only once VS Code resolves the server to start it.
import * as vscode from 'vscode';
import { connectionUrl } from '../../db/open';
import type { ConnectionConfig } from '../../db/types';
import { mcpConnectionName, passwordEnvVar } from '../../core/tools/externalFaces';
import type { Services } from '../services';

const providerId = 'dataeng.mcp';

/** The part of VS Code ≥ 1.101's API used here; absent from @types/vscode 1.100, so declared and feature-detected. */
interface McpStdioDefinition {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
}
interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): McpStdioDefinition[];
      resolveMcpServerDefinition?(definition: McpStdioDefinition, token: vscode.CancellationToken): Promise<McpStdioDefinition>;
    },
  ): vscode.Disposable;
}
type McpStdioCtor = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => McpStdioDefinition;

/** The arguments of `dataeng mcp` for these connections: names and URLs only, never a password. */
export function mcpServerArgs(cli: string, configs: readonly ConnectionConfig[]): { args: string[]; names: Map<string, ConnectionConfig> } {
  const names = new Map<string, ConnectionConfig>();
  const args = [cli, 'mcp'];
  for (const config of configs) {
    let name = mcpConnectionName(config.name);
    for (let i = 2; names.has(name); i++) name = `${mcpConnectionName(config.name)}-${i}`;
    names.set(name, config);
    args.push('--url', `${name}=${connectionUrl(config)}`);
  }
  return { args, names };
}

/** `1.101.0` ≤ version: the released API (1.100 carries an earlier draft under another contribution point). */
export function hasReleasedMcpApi(version: string): boolean {
  const [major = 0, minor = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
  return major > 1 || (major === 1 && minor >= 101);
}

export function registerMcpProvider(services: Services): void {
  const lm = vscode.lm as unknown as Partial<McpApi> | undefined;
  const Stdio = (vscode as unknown as { McpStdioServerDefinition?: McpStdioCtor }).McpStdioServerDefinition;
  // VS Code 1.100 already has a registerMcpServerDefinitionProvider, a draft that throws unless the provider is
  // declared under `modelContextServerCollections` (measured in code-server 4.100.3); only the released API is used.
  if (typeof lm?.registerMcpServerDefinitionProvider !== 'function' || typeof Stdio !== 'function' || !hasReleasedMcpApi(vscode.version)) {
    services.log.info('MCP server definitions are not available in this VS Code (1.101 or later offers them): dataeng mcp is not offered to other agents here');
    return;
  }
  const changed = services.own(new vscode.EventEmitter<void>());
  services.own(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('dataeng.connections')) changed.fire();
    }),
  );
  services.own(vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()));
  const cli = vscode.Uri.joinPath(services.context.extensionUri, 'dist', 'cli.js').fsPath;
  let current = new Map<string, ConnectionConfig>();
  let registration: vscode.Disposable;
  try {
    registration = lm.registerMcpServerDefinitionProvider(providerId, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: () => {
        // Restricted Mode: no connection is offered, as none is opened.
        if (!vscode.workspace.isTrusted) return [];
        const configs = services.connections.configured();
        if (!configs.length) return [];
        const { args, names } = mcpServerArgs(cli, configs);
        current = names;
        // The extension host's runtime is Electron in desktop VS Code: ELECTRON_RUN_AS_NODE makes it plain Node.
        return [new Stdio('Data Engineer Assistant', process.execPath, args, { ELECTRON_RUN_AS_NODE: '1' })];
      },
      resolveMcpServerDefinition: async (definition) => {
        const env: Record<string, string | number | null> = { ...definition.env };
        for (const [name, config] of current) {
          const password = await services.connections.savedPassword(config);
          if (password !== undefined) env[passwordEnvVar(name)] = password;
        }
        definition.env = env;
        return definition;
      },
    });
  } catch (err) {
    // Whatever this VS Code's MCP API does differently, the rest of the extension keeps working.
    services.log.warn(`MCP server definitions could not be registered: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  services.own(registration);
}
