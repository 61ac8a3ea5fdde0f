// The definition of every tool: its name, what the model is told it returns and refuses, and its input's JSON Schema.
// Every face offers exactly these (the agent loop's `tools`, MCP's `tools/list`, VS Code's `languageModelTools`), so a
// model sees the same tool wherever it meets it. Pure data.
import { agentToolNames, externalToolNames, type ToolDefinition, type ToolInputSchema, type ToolName } from './types';

const safety =
  'It runs through the extension\'s safe path: exactly one statement; PostgreSQL runs it inside BEGIN READ ONLY … ROLLBACK ' +
  '(nothing is ever committed) under statement and lock timeouts. It refuses several statements, transaction control ' +
  '(COMMIT, END, ROLLBACK), anything that is not a query or DML, and — under analyze — writes, row locks and side ' +
  'effects a rollback does not undo (pg_read_file, dblink, nextval, advisory locks…) unless the user consents.';

const schemas: Record<ToolName, ToolInputSchema> = {
  explain_query: {
    type: 'object',
    properties: {
      sql: { type: 'string', minLength: 1, maxLength: 100_000, description: 'One SQL statement (no EXPLAIN prefix needed).' },
      analyze: { type: 'boolean', description: 'EXPLAIN ANALYZE: execute the statement (rolled back) for real rows and timings. Default: plain EXPLAIN.' },
    },
    required: ['sql'],
    additionalProperties: false,
  },
  describe_table: {
    type: 'object',
    properties: {
      table: { type: 'string', minLength: 1, maxLength: 500, description: 'A table name, schema-qualified or not (public.orders, orders, "Mixed Case").' },
    },
    required: ['table'],
    additionalProperties: false,
  },
  review_schema: {
    type: 'object',
    properties: {
      schema: { type: 'string', minLength: 1, maxLength: 200, description: 'PostgreSQL: review only this schema. Default: every non-system schema (SQLite: the database).' },
    },
    additionalProperties: false,
  },
  what_if_index: {
    type: 'object',
    properties: {
      sql: { type: 'string', minLength: 1, maxLength: 100_000, description: 'The statement to plan before and with the indexes.' },
      indexes: {
        type: 'array',
        minItems: 1,
        maxItems: 5,
        items: { type: 'string', minLength: 1, maxLength: 2_000 },
        description: 'CREATE INDEX statements, tested together.',
      },
    },
    required: ['sql', 'indexes'],
    additionalProperties: false,
  },
  compare_results: {
    type: 'object',
    properties: {
      original: { type: 'string', minLength: 1, maxLength: 100_000, description: 'The original query (a read).' },
      rewrite: { type: 'string', minLength: 1, maxLength: 100_000, description: 'The rewritten query (a read) that should return the same rows.' },
    },
    required: ['original', 'rewrite'],
    additionalProperties: false,
  },
  read_file: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, maxLength: 1_000, description: 'Workspace-relative path (or absolute inside a workspace folder).' },
      offset: { type: 'integer', minimum: 1, description: 'First line to read (1-based). Default 1.' },
      limit: { type: 'integer', minimum: 1, maximum: 5_000, description: 'Number of lines to read. Default 400.' },
    },
    required: ['path'],
    additionalProperties: false,
  },
  list_files: {
    type: 'object',
    properties: {
      glob: { type: 'string', minLength: 1, maxLength: 500, description: 'A glob relative to the workspace folders: **/*.sql, models/*.sql, **/migrations/**.' },
    },
    required: ['glob'],
    additionalProperties: false,
  },
  grep: {
    type: 'object',
    properties: {
      pattern: { type: 'string', minLength: 1, maxLength: 500, description: 'A JavaScript regular expression, matched per line.' },
      glob: { type: 'string', minLength: 1, maxLength: 500, description: 'Only files matching this glob. Default: every text file.' },
    },
    required: ['pattern'],
    additionalProperties: false,
  },
  propose_edit: {
    type: 'object',
    properties: {
      path: { type: 'string', minLength: 1, maxLength: 1_000, description: 'Workspace-relative path of an existing text file.' },
      old_text: { type: 'string', minLength: 1, maxLength: 50_000, description: 'Text that occurs exactly once in the file.' },
      new_text: { type: 'string', maxLength: 50_000, description: 'What replaces it.' },
    },
    required: ['path', 'old_text', 'new_text'],
    additionalProperties: false,
  },
  todo_write: {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        maxItems: 50,
        items: {
          type: 'object',
          properties: {
            text: { type: 'string', minLength: 1, maxLength: 500 },
            status: { type: 'string', enum: ['pending', 'in_progress', 'done'] },
          },
          required: ['text', 'status'],
          additionalProperties: false,
        },
        description: 'The whole checklist; it replaces the previous one.',
      },
    },
    required: ['items'],
    additionalProperties: false,
  },
  analyze_plan: {
    type: 'object',
    properties: {
      plan: {
        type: 'string',
        minLength: 1,
        maxLength: 20_000_000,
        description: 'A query plan as pasted: PostgreSQL EXPLAIN in JSON, text (psql output included), XML or YAML, or SQLite EXPLAIN QUERY PLAN.',
      },
    },
    required: ['plan'],
    additionalProperties: false,
  },
  list_connections: { type: 'object', properties: {}, additionalProperties: false },
};

const descriptions: Record<ToolName, string> = {
  explain_query:
    'Explains one SQL statement on the connected database and returns the plan analysis: findings ([F1]…, each with ' +
    'severity, rule, plan node and a suggested fix) and a compact plan summary (operations, rows, costs; real times ' +
    'with analyze). ' +
    safety,
  describe_table:
    'Describes one table: columns and types (nullability, defaults), indexes (definition, size, scans), constraints, ' +
    'row estimate, size, last analyze/vacuum, and per-column statistics (n_distinct, null_frac, correlation; ' +
    'most-common values only when literal redaction is off). Read-only catalog queries; the table name is passed as ' +
    'data, never as SQL. Returns an error naming the table when it does not exist.',
  review_schema:
    'Reviews the schema with deterministic rules (missing primary keys, foreign keys without an index, duplicate or ' +
    'unused indexes, stale statistics, integer keys near overflow, …) and returns the findings with their objects and ' +
    'fixes as SQL. Read-only catalog queries; it changes nothing and applies no fix.',
  what_if_index:
    'Tests CREATE INDEX statements before anyone builds them: plans the statement without and with the indexes and ' +
    'returns the cost (and, where measured, time) before and after and whether the planner used each index. PostgreSQL ' +
    'uses HypoPG (costs only, nothing built) when installed; otherwise a real index would be built inside a rolled-back ' +
    'transaction, which needs the user\'s consent and is refused without it. SQLite uses an in-memory copy. Refuses ' +
    'anything but exactly one CREATE INDEX per item and one explainable statement.',
  compare_results:
    'Checks that a rewrite returns the same rows as the original: runs both reads in one READ ONLY, REPEATABLE READ ' +
    'transaction and compares them as multisets (and order, when the original has ORDER BY). Returns the verdict ' +
    '(equal on this data, different with counts, nondeterministic, cannot-verify) and row counts, never the rows. ' +
    'Refuses anything but two reads, and runs nothing when either calls a volatile function.',
  read_file:
    'Reads lines of a text file in the workspace folders, numbered (`12: text`), with the total line count. Refuses ' +
    'paths outside the workspace folders (symlinks are resolved first), binary files and files over the size cap; ' +
    'read a large file in parts with offset and limit.',
  list_files:
    'Lists workspace files whose path matches a glob (`**/*.sql`), workspace-relative, sorted; capped at 500 paths ' +
    '(it says when more matched). Skips .git and node_modules; never leaves the workspace folders.',
  grep:
    'Searches text files in the workspace for a regular expression and returns matching lines as `path:line: text`, ' +
    'capped at 200 matches (it says when more matched). Binary and oversized files are skipped; the search stops at its ' +
    'time limit and says so. Refuses an invalid regular expression.',
  propose_edit:
    'Proposes replacing old_text with new_text in a workspace file. It never writes: the user sees a diff and applies ' +
    'it as one undoable edit, or rejects it. Refuses a file that does not exist, is outside the workspace or binary, ' +
    'and old_text that does not occur exactly once (include more surrounding lines to make it unique).',
  todo_write:
    'Shows the user a checklist of the investigation (pending, in_progress, done); each call replaces the whole list. ' +
    'Returns the list as recorded.',
  analyze_plan:
    'Analyzes a query plan the user already has, in any pasted form (PostgreSQL JSON, text with psql decorations, XML, ' +
    'YAML; SQLite EXPLAIN QUERY PLAN), with the same rules as explain_query: returns findings and a plan summary. ' +
    'Touches no database. Refuses text that is not a plan, saying what it was read as and where it stopped.',
  list_connections:
    'Returns the database connections available here (name, driver, host/database or file — never a password) and ' +
    'which one is the default. Pass a name as `connection` to the database tools. Touches no database.',
};

/** The order tools are offered in: database tools, then workspace tools, then the external ones. */
export const toolOrder: readonly ToolName[] = [...agentToolNames, ...externalToolNames];

export function toolDefinition(name: ToolName): ToolDefinition {
  return { name, description: descriptions[name], inputSchema: structuredClone(schemas[name]) };
}

export function isToolName(value: unknown): value is ToolName {
  return typeof value === 'string' && (toolOrder as readonly string[]).includes(value);
}

/** The definitions of `offered`, in `toolOrder`. */
export function toolDefinitions(offered: readonly ToolName[]): ToolDefinition[] {
  return toolOrder.filter((n) => offered.includes(n)).map(toolDefinition);
}

/**
 * A definition with an extra optional string property (MCP's `connection`), for faces that add one. The shape the
 * registry validates stays the tool's own; the face takes the extra property out before calling `run`.
 */
export function withExtraProperty(def: ToolDefinition, key: string, schema: Record<string, unknown>): ToolDefinition {
  return { ...def, inputSchema: { ...def.inputSchema, properties: { ...def.inputSchema.properties, [key]: schema } } };
}
