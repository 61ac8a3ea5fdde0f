// package.json and the command table stay in sync, and the manifest keeps its promises.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalFaceTools, languageModelToolContributions } from '../../src/core/tools/externalFaces';
import { toolDefinition } from '../../src/core/tools/definitions';

const root = join(__dirname, '..', '..');
/** The parts of package.json these tests read; anything missing fails the assertions that use it. */
interface Manifest {
  displayName: string;
  engines: { vscode: string };
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | 'limited' } };
  contributes: {
    commands: { command: string; category?: string }[];
    menus: Record<string, { command: string }[]>;
    configuration: { properties: Record<string, { type?: string; default?: unknown }> };
    languageModelTools?: { name: string; modelDescription: string; when?: string; inputSchema: { properties: Record<string, unknown> } }[];
    mcpServerDefinitionProviders?: { id: string; label: string }[];
  };
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

function registeredCommandIds(): string[] {
  // The table's keys are string literals in src/vscode/commands.ts; reading them from the source keeps this test pure.
  const text = readFileSync(join(root, 'src/vscode/commands.ts'), 'utf8');
  return [...text.matchAll(/^\s*'(dataeng\.[A-Za-z]+)'\s*:/gm)].map((m) => m[1]!).sort();
}

describe('package.json', () => {
  it('is a VS Code extension manifest for Data Engineer Assistant', () => {
    expect(pkg.displayName).toBe('Data Engineer Assistant');
    expect(pkg.engines.vscode).toBe('^1.100.0');
    expect(pkg.main).toBe('./dist/extension.js');
    expect(pkg.activationEvents).not.toContain('*');
    expect(pkg.activationEvents).not.toContain('onStartupFinished');
    expect(pkg.capabilities.untrustedWorkspaces.supported).toBe('limited');
  });

  it('puts every command in the Data Engineer category', () => {
    for (const c of pkg.contributes.commands) expect(c.category, c.command).toBe('Data Engineer');
  });

  it('contributes exactly the commands the extension registers', () => {
    const contributed = pkg.contributes.commands.map((c) => c.command).sort();
    expect(registeredCommandIds()).toEqual(contributed);
  });

  it('menus only reference contributed commands', () => {
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const [menu, items] of Object.entries(pkg.contributes.menus)) {
      for (const item of items) expect(contributed.has(item.command), `${menu}: ${item.command}`).toBe(true);
    }
  });

  it('declares a JSON schema default for every setting', () => {
    for (const [key, schema] of Object.entries(pkg.contributes.configuration.properties)) {
      expect(schema.type, key).toBeDefined();
      expect('default' in schema, key).toBe(true);
    }
  });

  it('contributes the language-model tools exactly as the registry defines them (scripts/syncToolManifest.ts), trusted workspaces only', () => {
    const tools = pkg.contributes.languageModelTools ?? [];
    expect(tools).toEqual(languageModelToolContributions());
    expect(tools.map((t) => t.name)).toEqual(externalFaceTools.map((t) => `dataeng_${t}`));
    for (const [i, t] of tools.entries()) {
      const tool = externalFaceTools[i]!;
      expect(t.when, t.name).toBe('isWorkspaceTrusted');
      expect(t.modelDescription).toBe(toolDefinition(tool).description);
      expect(t.modelDescription).toMatch(/return/i);
      for (const key of Object.keys(toolDefinition(tool).inputSchema.properties)) expect(Object.keys(t.inputSchema.properties), t.name).toContain(key);
    }
    // Tools that touch a database say what they refuse.
    for (const name of ['dataeng_explain_query', 'dataeng_what_if_index', 'dataeng_compare_results']) expect(tools.find((t) => t.name === name)?.modelDescription).toMatch(/refuse/i);
  });

  it('contributes the MCP server definition provider the extension registers', () => {
    expect(pkg.contributes.mcpServerDefinitionProviders).toEqual([{ id: 'dataeng.mcp', label: 'Data Engineer Assistant (dataeng mcp)' }]);
    const source = readFileSync(join(root, 'src/vscode/tools/mcpProvider.ts'), 'utf8');
    expect(source).toContain("const providerId = 'dataeng.mcp'");
  });
});
