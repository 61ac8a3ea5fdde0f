// DuckDB behind the Database interface, in a worker thread (worker.ts). A stopped query is interrupted inside the
// worker (the connection's interrupt); the thread is terminated only if DuckDB does not stop within a grace period.
import type { CompareFacts } from '../../core/proof/compare';
import type { Catalog } from '../../core/schema/catalog';
import type { DescribeOptions, TableDescription } from '../../core/schema/tableDescription';
import { planSafeExplain } from '../safePath';
import type { CompareOptions, ConnectionConfig, Database, ExplainOptions, ExplainResult, ServerInfo, SessionLimits } from '../types';
import { WorkerClient, resolveWorkerFile } from '../workerClient';
import type { DuckdbExplainRows } from './sandbox';
import type { DuckdbWorkerData } from './worker';

export interface DuckdbOptions {
  limits: SessionLimits;
  workerDir?: string;
  /** Folders DuckDB may read: the workspace folders (CLI: the current directory and every --allow-dir). */
  allowedDirs: string[];
  /** Relative paths in queries resolve against this folder (the first workspace folder; CLI: the current directory). */
  baseDir: string;
  allowNetwork?: boolean;
  /** DuckDB's memory_limit for this connection (e.g. `'256MB'`), fixed before the configuration is locked. */
  memoryLimit?: string;
}

/** How long an interrupted query may take to stop before its thread is terminated. */
export const interruptGraceMs = 2_000;

export class DuckdbDatabase implements Database {
  readonly dialect = 'duckdb' as const;
  private readonly worker: WorkerClient;

  constructor(
    readonly config: ConnectionConfig & { file?: string },
    private readonly options: DuckdbOptions,
  ) {
    const memory = !config.file || config.file === ':memory:';
    const workerData: DuckdbWorkerData = {
      ...(memory ? {} : { file: config.file }),
      allowedDirs: options.allowedDirs,
      baseDir: options.baseDir,
      allowNetwork: options.allowNetwork === true,
      ...(options.memoryLimit !== undefined ? { memoryLimit: options.memoryLimit } : {}),
    };
    this.worker = new WorkerClient(resolveWorkerFile('duckdbWorker', options.workerDir), workerData, `DuckDB ${config.file ?? ':memory:'}`, { interruptGraceMs });
  }

  private get timeoutMs(): number {
    return this.options.limits.statementTimeoutMs;
  }

  async test(signal?: AbortSignal): Promise<ServerInfo> {
    const { version } = await this.worker.request<{ version: string }>('open', null, { timeoutMs: this.timeoutMs, ...(signal ? { signal } : {}) });
    return { dialect: 'duckdb', version: `DuckDB ${version}`, database: this.config.file ?? ':memory:' };
  }

  async explain(sql: string, options: ExplainOptions): Promise<ExplainResult> {
    const safe = planSafeExplain(sql, 'duckdb', options);
    const rows = await this.worker.request<DuckdbExplainRows>('explain', { sql: safe.classification.statement, analyze: safe.analyze }, {
      timeoutMs: options.timeoutMs ?? this.timeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return {
      dialect: 'duckdb',
      // The profiler can come back empty (sandbox.ts): then this is the estimated plan, and a warning says so.
      analyzed: rows.key === 'analyzed_plan',
      // Nothing can be written: the file is open READ_ONLY and only a SELECT runs, so there is nothing to roll back.
      rolledBack: false,
      planFormat: 'duckdb-json',
      plan: rows.json,
      warnings: [...safe.warnings, ...rows.warnings],
      statement: safe.classification.statement,
    };
  }

  /**
   * Result equivalence with EXCEPT ALL both ways, in one transaction on the read-only file. There is no `whatIf`: an
   * index cannot be built on a READ_ONLY file, and DuckDB has no hypothetical indexes, so the operations say so.
   */
  compare(original: string, rewrite: string, options: CompareOptions): Promise<CompareFacts> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    return this.worker.request<CompareFacts>('compare', { original, rewrite }, { timeoutMs: timeoutMs * 6, ...(options.signal ? { signal: options.signal } : {}) });
  }

  introspect(options: { schema?: string; signal?: AbortSignal }): Promise<Catalog> {
    return this.worker.request<Catalog>('introspect', null, { timeoutMs: this.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  }

  /** One table or view of the database file (an in-memory connection has none: it queries files). */
  describeTable(table: string, options: DescribeOptions = {}): Promise<TableDescription> {
    return this.worker.request<TableDescription>('describeTable', { table }, { timeoutMs: this.timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  }

  async cancel(): Promise<void> {
    if (this.worker.busy) await this.worker.terminate();
  }

  async close(): Promise<void> {
    // DuckDB closes its instance (and removes its spill folder) before the thread goes.
    if (!this.worker.busy) await this.worker.request('close', null, { timeoutMs: interruptGraceMs }).catch(() => undefined);
    await this.worker.terminate();
  }
}
