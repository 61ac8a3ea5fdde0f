// A Database seen through an editor command: every call is also cancelled by the command's progress notification,
// each EXPLAIN result is reported (for diagnostics) and a catalog already read can be served again, so the chat
// pipeline neither explains nor introspects twice what the command already did.
import type { Catalog } from '../../core/schema/catalog';
import type { DescribeOptions } from '../../core/schema/tableDescription';
import type { CompareOptions, Database, ExplainOptions, ExplainResult, WhatIfOptions } from '../../db/types';

export interface EditorDatabaseOptions {
  /** The command's cancellation (progress notification): aborts the database work as well. */
  signal: AbortSignal;
  onExplain?: (result: ExplainResult) => void;
  /** Served for introspect() instead of asking the database again. */
  catalog?: Catalog;
}

function either(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  if (!a) return b;
  const both = new AbortController();
  const abort = () => both.abort();
  if (a.aborted || b.aborted) both.abort();
  a.addEventListener('abort', abort, { once: true });
  b.addEventListener('abort', abort, { once: true });
  return both.signal;
}

export function editorDatabase(db: Database, options: EditorDatabaseOptions): Database {
  return {
    dialect: db.dialect,
    config: db.config,
    test: (signal) => db.test(either(signal, options.signal)),
    // The signal stops this call only: every driver stops exactly the aborted call (PostgreSQL cancels that call's own
    // backend). Database.cancel() would stop every other explain on the same connection as well, so it is not used here.
    explain: async (sql: string, explainOptions: ExplainOptions): Promise<ExplainResult> => {
      const result = await db.explain(sql, { ...explainOptions, signal: either(explainOptions.signal, options.signal) });
      options.onExplain?.(result);
      return result;
    },
    introspect: async (introspectOptions) => {
      if (options.catalog) return options.catalog;
      return db.introspect({ ...introspectOptions, signal: either(introspectOptions.signal, options.signal) });
    },
    // Proofs (Verify rewrite, Try index) on the statement the command explained run on the same connection.
    ...(db.whatIf ? { whatIf: (sql: string, o: WhatIfOptions) => db.whatIf!(sql, { ...o, signal: either(o.signal, options.signal) }) } : {}),
    ...(db.compare ? { compare: (a: string, b: string, o: CompareOptions) => db.compare!(a, b, { ...o, signal: either(o.signal, options.signal) }) } : {}),
    ...(db.describeTable ? { describeTable: (table: string, o: DescribeOptions = {}) => db.describeTable!(table, { ...o, signal: either(o.signal, options.signal) }) } : {}),
    cancel: () => db.cancel(),
    // The connection belongs to the connections service; the editor never closes it.
    close: () => Promise.resolve(),
  };
}
