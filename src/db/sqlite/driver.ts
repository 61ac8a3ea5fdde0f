// SQLite in a worker thread, on the first engine that runs on this host (better-sqlite3, node:sqlite or sql.js):
// EXPLAIN QUERY PLAN only, never executing anything.
import type { CompareFacts } from '../../core/proof/compare';
import type { WhatIfRaw } from '../../core/proof/whatIf';
import type { Catalog } from '../../core/schema/catalog';
import type { DescribeOptions, TableDescription } from '../../core/schema/tableDescription';
import { planSafeExplain } from '../safePath';
import type { CompareOptions, ConnectionConfig, Database, ExplainOptions, ExplainResult, ServerInfo, SessionLimits, WhatIfOptions } from '../types';
import { WorkerClient, resolveWorkerFile } from '../workerClient';
import type { SqliteEngineName } from './engine';
import type { SqliteWorkerData } from './worker';

export interface SqliteOptions {
  limits: SessionLimits;
  workerDir?: string;
  /** How long SQLite waits for a lock held by another process before giving up. */
  busyTimeoutMs?: number;
  /** The engines to try, in order; by default every one, native first (engine.ts `engineOrder`). */
  engines?: SqliteEngineName[];
  /** Largest file the in-memory engine (sql.js, the last resort) opens. */
  maxInMemoryBytes?: number;
}

/**
 * 256 MB. sql.js holds the file twice (the bytes read and SQLite's in-memory copy) in the extension host's process,
 * so a larger file is refused with what to do instead; the other engines read pages on demand and have no limit.
 */
export const defaultMaxInMemoryBytes = 256 * 1024 * 1024;

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
    const workerData: SqliteWorkerData = {
      file: config.file,
      busyTimeoutMs: options.busyTimeoutMs ?? 2_000,
      maxInMemoryBytes: options.maxInMemoryBytes ?? defaultMaxInMemoryBytes,
      ...(options.engines ? { engines: options.engines } : {}),
    };
    this.worker = new WorkerClient(resolveWorkerFile('sqliteWorker', options.workerDir), workerData, `SQLite ${config.file}`);
  }

  private get timeoutMs(): number {
    return this.options.limits.statementTimeoutMs;
  }

  async test(signal?: AbortSignal): Promise<ServerInfo> {
    const { version, engine } = await this.worker.request<{ version: string; engine: SqliteEngineName }>('open', null, {
      timeoutMs: this.timeoutMs,
      ...(signal ? { signal } : {}),
    });
    return { dialect: 'sqlite', version: `SQLite ${version} (${engine})`, database: this.config.file };
  }

  async explain(sql: string, options: ExplainOptions): Promise<ExplainResult> {
    const safe = planSafeExplain(sql, 'sqlite', options);
    const { rows, warnings } = await this.worker.request<{ rows: SqlitePlanRow[]; warnings: string[] }>('explain', { sql: safe.classification.statement }, {
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
      warnings: [...safe.warnings, ...warnings],
      statement: safe.classification.statement,
    };
  }

  whatIf(sql: string, options: WhatIfOptions): Promise<WhatIfRaw> {
    const { signal, ...rest } = options;
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    // Copying, one plan per variant and (for a read) one timed run before and per variant.
    const steps = 3 + 2 * options.variants.length;
    return this.worker.request<WhatIfRaw>('whatIf', { sql, options: rest }, { timeoutMs: timeoutMs * steps, ...(signal ? { signal } : {}) });
  }

  compare(original: string, rewrite: string, options: CompareOptions): Promise<CompareFacts> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return this.worker.request<CompareFacts>('compare', { original, rewrite }, { timeoutMs: timeoutMs * 6, ...(options.signal ? { signal: options.signal } : {}) });
  }

  introspect(options: { schema?: string; signal?: AbortSignal }): Promise<Catalog> {
    return this.worker.request<Catalog>('introspect', null, { timeoutMs: this.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** SQLite keeps no most-common values, so `mostCommonValues` changes nothing here. */
  describeTable(table: string, options: DescribeOptions = {}): Promise<TableDescription> {
    return this.worker.request<TableDescription>('describeTable', { table }, { timeoutMs: this.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  }

  async cancel(): Promise<void> {
    if (this.worker.busy) await this.worker.terminate();
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
