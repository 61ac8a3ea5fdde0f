// SQLite through better-sqlite3 in a worker thread: EXPLAIN QUERY PLAN only, never executing anything.
import type { Catalog } from '../../core/schema/catalog';
import { planSafeExplain } from '../safePath';
import type { ConnectionConfig, Database, ExplainOptions, ExplainResult, ServerInfo, SessionLimits } from '../types';
import { WorkerClient, resolveWorkerFile } from '../workerClient';

export interface SqliteOptions {
  limits: SessionLimits;
  workerDir?: string;
  /** How long SQLite waits for a lock held by another process before giving up. */
  busyTimeoutMs?: number;
}

export interface SqlitePlanRow {
  id: number;
  parent: number;
  notused: number;
  detail: string;
}

export class SqliteDatabase implements Database {
  readonly dialect = 'sqlite' as const;
  private readonly worker: WorkerClient;

  constructor(
    readonly config: ConnectionConfig & { file: string },
    private readonly options: SqliteOptions,
  ) {
    this.worker = new WorkerClient(
      resolveWorkerFile('sqliteWorker', options.workerDir),
      { file: config.file, busyTimeoutMs: options.busyTimeoutMs ?? 2_000 },
      `SQLite ${config.file}`,
    );
  }

  private get timeoutMs(): number {
    return this.options.limits.statementTimeoutMs;
  }

  async test(signal?: AbortSignal): Promise<ServerInfo> {
    const { version } = await this.worker.request<{ version: string }>('open', null, { timeoutMs: this.timeoutMs, ...(signal ? { signal } : {}) });
    return { dialect: 'sqlite', version: `SQLite ${version}`, database: this.config.file };
  }

  async explain(sql: string, options: ExplainOptions): Promise<ExplainResult> {
    const safe = planSafeExplain(sql, 'sqlite', options);
    const rows = await this.worker.request<SqlitePlanRow[]>('explain', { sql: safe.classification.statement }, {
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      dialect: 'sqlite',
      analyzed: false,
      // Nothing ran: EXPLAIN QUERY PLAN only compiles the statement, on a read-only handle.
      rolledBack: false,
      planFormat: 'sqlite-rows',
      plan: rows.map((r) => ({ id: r.id, parent: r.parent, notused: r.notused, detail: r.detail })),
      warnings: safe.warnings,
      statement: safe.classification.statement,
    };
  }

  introspect(options: { schema?: string; signal?: AbortSignal }): Promise<Catalog> {
    return this.worker.request<Catalog>('introspect', null, { timeoutMs: this.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  }

  async cancel(): Promise<void> {
    if (this.worker.busy) await this.worker.terminate();
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
