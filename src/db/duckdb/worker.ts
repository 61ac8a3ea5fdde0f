// The DuckDB worker thread: owns the instance and its one connection, so a runaway query never blocks the extension
// host. The sandbox (sandbox.ts) is set up once, before any user SQL, and then locked.
import { workerData } from 'node:worker_threads';
import { ConnectionError, ExplainCancelledError, RefusedStatementError, StatementError } from '../errors';
import { serveRequests } from '../workerHost';
import { openSandboxed, type DuckdbSandbox, type SandboxedConnection } from './sandbox';

export type DuckdbWorkerData = DuckdbSandbox;

const data = workerData as DuckdbWorkerData;
let opened: Promise<SandboxedConnection> | undefined;
let current: SandboxedConnection | undefined;

function target(): { driver: string; file: string } {
  return { driver: 'duckdb', file: data.file ?? ':memory:' };
}

function open(): Promise<SandboxedConnection> {
  opened ??= openSandboxed(data).then(
    (c) => {
      current = c;
      return c;
    },
    (err: unknown) => {
      opened = undefined;
      throw new ConnectionError(target(), err instanceof Error ? err.message : String(err));
    },
  );
  return opened;
}

/** DuckDB's errors as ours: a path outside the workspace is a refusal, an interrupt a cancellation. */
export function duckdbError(err: unknown): Error {
  if (err instanceof RefusedStatementError || err instanceof StatementError || err instanceof ConnectionError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/^Permission Error/.test(message)) {
    return new RefusedStatementError(`${message.split('\n')[0]} (only files inside the workspace folders can be read, and the configuration is locked)`);
  }
  if (/^INTERRUPT Error/i.test(message)) return new ExplainCancelledError('cancelled', 'DuckDB: the query was interrupted');
  const kind = /^([A-Za-z ]+) Error:/.exec(message)?.[1];
  return new StatementError(message, kind ? kind.toUpperCase().replace(/ /g, '_') : undefined);
}

serveRequests(
  {
    open: async () => {
      const c = await open();
      return { version: c.version, warnings: c.warnings };
    },
    explain: async (args) => {
      const { sql, analyze } = args as { sql: string; analyze: boolean };
      const c = await open();
      try {
        return await c.explain(sql, analyze);
      } catch (err) {
        throw duckdbError(err);
      }
    },
    rows: async (args) => {
      const { sql } = args as { sql: string };
      const c = await open();
      try {
        return await c.readRows(sql);
      } catch (err) {
        throw duckdbError(err);
      }
    },
    introspect: async () => {
      const c = await open();
      try {
        return await c.introspect();
      } catch (err) {
        throw duckdbError(err);
      }
    },
    describeTable: async (args) => {
      const { table } = args as { table: string };
      const c = await open();
      try {
        return await c.describeTable(table);
      } catch (err) {
        throw duckdbError(err);
      }
    },
    compare: async (args) => {
      const { original, rewrite } = args as { original: string; rewrite: string };
      const c = await open();
      try {
        return await c.compare(original, rewrite);
      } catch (err) {
        throw duckdbError(err);
      }
    },
    close: () => {
      current?.close();
      current = undefined;
      opened = undefined;
      return null;
    },
  },
  () => current?.interrupt(),
);
