// What the tools look like to agents outside our own loop: MCP (`dataeng mcp`) and VS Code's language-model tools
// (agent mode). Both offer the same seven tools with the same inputs, database tools with an optional `connection`.
// package.json's `languageModelTools` is generated from here (scripts/syncToolManifest.ts) and a unit test keeps the
// two equal, so the manifest can never describe a tool differently from what the registry validates. Pure.
import { toolDefinitions, withExtraProperty } from './definitions';
import type { ToolDefinition, ToolName } from './types';

/** The tools offered to other agents: the database tools and the two an outside agent needs (no plan, no list). */
export const externalFaceTools: readonly ToolName[] = ['explain_query', 'describe_table', 'review_schema', 'what_if_index', 'compare_results', 'analyze_plan', 'list_connections'];

export const connectionTools: ReadonlySet<ToolName> = new Set<ToolName>(['explain_query', 'describe_table', 'review_schema', 'what_if_index', 'compare_results']);

/** The definitions with `connection` added to the database tools, described for the face. */
export function externalDefinitions(connectionDescription: string): ToolDefinition[] {
  const connection = { type: 'string', description: connectionDescription };
  return toolDefinitions(externalFaceTools).map((d) => (connectionTools.has(d.name) ? withExtraProperty(d, 'connection', connection) : d));
}

/** VS Code tool names are global across extensions: ours carry the extension's prefix. */
export function languageModelToolName(tool: ToolName): string {
  return `dataeng_${tool}`;
}

const displayNames: Record<string, string> = {
  explain_query: 'Explain SQL (safe, rolled back)',
  describe_table: 'Describe table',
  review_schema: 'Review schema',
  what_if_index: 'Test an index before building it',
  compare_results: 'Compare query results',
  analyze_plan: 'Analyze a query plan',
  list_connections: 'List database connections',
};

export interface LanguageModelToolContribution {
  name: string;
  toolReferenceName: string;
  displayName: string;
  modelDescription: string;
  userDescription: string;
  canBeReferencedInPrompt: boolean;
  icon: string;
  tags: string[];
  when: string;
  inputSchema: ToolDefinition['inputSchema'];
}

/** package.json `contributes.languageModelTools`: trusted workspaces only. */
export function languageModelToolContributions(): LanguageModelToolContribution[] {
  const defs = externalDefinitions('A connection name from dataeng.connections (the Data Engineer connections view). Default: the active connection.');
  return defs.map((d) => ({
    name: languageModelToolName(d.name),
    toolReferenceName: `dataeng_${d.name}`,
    displayName: displayNames[d.name] ?? d.name,
    modelDescription: d.description,
    userDescription: d.description.split('. ')[0]!.replace(/\.$/, '') + '.',
    canBeReferencedInPrompt: true,
    icon: '$(database)',
    tags: ['database', 'sql', 'dataeng'],
    when: 'isWorkspaceTrusted',
    inputSchema: d.inputSchema,
  }));
}

/**
 * A connection's name as `dataeng mcp --url NAME=URL` accepts it (a word of letters, digits, `_`, `.` and `-`):
 * VS Code's connection names may hold spaces or other characters.
 */
export function mcpConnectionName(name: string): string {
  const cleaned = name.replace(/[^\w.-]+/g, '-').replace(/^[^A-Za-z_]+/, '').slice(0, 64);
  return cleaned || 'connection';
}

/**
 * The environment variable that may hold the password of the connection named NAME in `dataeng mcp`: how a launcher
 * (VS Code's MCP provider) passes several passwords without ever putting one in the arguments.
 */
export function passwordEnvVar(name: string): string {
  return `DATAENG_PASSWORD_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export interface ToolConfirmation {
  /** Shown while the tool runs. */
  invocation: string;
  /** Absent: nothing to confirm (no database, nothing executed). */
  title?: string;
  /** Markdown: the SQL in fences and the connection named. */
  message?: string;
}

function fenced(text: string, language = 'sql'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marker = '`'.repeat(longest + 1);
  return `${marker}${language}\n${text}\n${marker}`;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** What VS Code shows before a tool runs (prepareInvocation): the statement(s) and the connection they run on. */
export function toolConfirmation(tool: ToolName, input: Record<string, unknown>, connection: string): ToolConfirmation {
  const on = `on connection \`${connection.replace(/`/g, "'")}\``;
  switch (tool) {
    case 'explain_query': {
      const analyze = input.analyze === true;
      return {
        invocation: `${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} ${on}`,
        title: analyze ? 'Run EXPLAIN ANALYZE (executes the statement, then rolls it back)?' : 'Explain this statement (plan only, nothing is executed)?',
        message: `${analyze ? 'EXPLAIN ANALYZE' : 'EXPLAIN'} ${on}. It runs inside a transaction that is always rolled back; a write or a side effect still asks for your consent.\n\n${fenced(str(input.sql))}`,
      };
    }
    case 'describe_table':
      return { invocation: `Describing ${str(input.table)} ${on}`, title: 'Describe a table (catalog reads only)?', message: `Read the catalog and statistics of \`${str(input.table).replace(/`/g, "'")}\` ${on}.` };
    case 'review_schema':
      return { invocation: `Reviewing the schema ${on}`, title: 'Review the schema (catalog reads only)?', message: `Review ${input.schema ? `schema \`${str(input.schema).replace(/`/g, "'")}\`` : 'every schema'} ${on}.` };
    case 'what_if_index': {
      const indexes = Array.isArray(input.indexes) ? input.indexes.map(str) : [];
      return {
        invocation: `Testing ${indexes.length} index${indexes.length === 1 ? '' : 'es'} ${on}`,
        title: 'Test these indexes (HypoPG, or built and rolled back with your consent)?',
        message: `Plan the statement ${on} without and with the indexes. Nothing is kept.\n\n${fenced(str(input.sql))}\n\n${fenced(indexes.join(';\n'))}`,
      };
    }
    case 'compare_results':
      return {
        invocation: `Comparing results ${on}`,
        title: 'Run both queries (read-only) and compare their results?',
        message: `Both run ${on} in one READ ONLY transaction; only counts come back.\n\nOriginal:\n\n${fenced(str(input.original))}\n\nRewrite:\n\n${fenced(str(input.rewrite))}`,
      };
    case 'analyze_plan':
      return { invocation: 'Analyzing a query plan (no database)' };
    case 'list_connections':
      return { invocation: 'Listing database connections' };
    default:
      return { invocation: tool };
  }
}
