// The embedded demo PostgreSQL (PGlite), behind the same interface and the same safe path as a real server.
// Everything runs in a worker thread that is started on first use: activation never pays for PGlite.
import type { CompareFacts } from '../../core/proof/compare';
import type { DescribeOptions, TableDescription } from '../../core/schema/tableDescription';
import type { WhatIfRaw } from '../../core/proof/whatIf';
import type { Catalog } from '../../core/schema/catalog';
import { ExplainCancelledError, SessionEndedError } from '../errors';
import { planSafeExplain } from '../safePath';
import { explainFailure, rolledBackEnd, warningsAfter, type TransactionEnd } from '../transactionEnd';
import type { CompareOptions, ConnectionConfig, Database, ExplainOptions, ExplainResult, ServerInfo, SessionLimits, WhatIfOptions } from '../types';
import { WorkerClient, WorkerExitedError, resolveWorkerFile, reviveError } from '../workerClient';
import type { WorkerFailure } from '../workerProtocol';

export interface DemoOptions {
  limits: SessionLimits;
  /** Directory holding the persisted demo database (created and seeded on first use). */
  dataDir: string;
  workerDir?: string;
}


export interface DemoStartInfo {
  version: string;
  versionNum: number;
  /** True when this start created and seeded the database. */
  seededNow: boolean;
  /** Whole start inside the worker, and the part spent starting PGlite (WASM instantiation, initdb on first use). */
  openMs: number;
  createMs: number;
}

/** Seeding on a slow machine takes a while; it must still finish. */
const initTimeoutMs = 10 * 60_000;

/** PGlite lives in the worker: stopping the worker with a transaction open discards the transaction. */
const discardedEnd: TransactionEnd = {
  rolledBack: false,
  note: 'the embedded database was stopped with the transaction open, which discards it: nothing was committed',
};

export class DemoDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly worker: WorkerClient;
  private ready: Promise<DemoStartInfo> | undefined;

  constructor(
    readonly config: ConnectionConfig,
    private readonly options: DemoOptions,
  ) {
    this.worker = new WorkerClient(resolveWorkerFile('demoWorker', options.workerDir), { dataDir: options.dataDir }, 'demo database');
  }

  /** Starts the worker and opens (seeding on first use) the database. */
  start(signal?: AbortSignal): Promise<DemoStartInfo> {
    this.ready ??= this.worker.request<DemoStartInfo>('init', null, { timeoutMs: initTimeoutMs, ...(signal ? { signal } : {}) }).catch((err: unknown) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  async test(signal?: AbortSignal): Promise<ServerInfo> {
    const info = await this.start(signal);
    return { dialect: 'postgres', version: `${info.version} (embedded demo, PGlite)`, database: 'demo' };
  }

  async explain(sql: string, options: ExplainOptions): Promise<ExplainResult> {
    const safe = planSafeExplain(sql, 'postgres', options);
    await this.start(options.signal);
    let reply: { plan?: unknown; rolledBack: boolean; clean: boolean; error?: WorkerFailure };
    try {
      reply = await this.worker.request('explain', { safe }, {
        timeoutMs: options.timeoutMs ?? this.options.limits.statementTimeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      // A stopped or crashed worker took PGlite (and its open transaction) with it; the next call reopens the database.
      if (err instanceof ExplainCancelledError || err instanceof WorkerExitedError) this.ready = undefined;
      if (err instanceof ExplainCancelledError) throw new ExplainCancelledError(err.why, `${err.message}; ${discardedEnd.note}`, false);
      if (err instanceof WorkerExitedError) throw new SessionEndedError({ driver: 'demo', file: this.options.dataDir }, err.message, discardedEnd.note);
      throw err;
    }
    // PGlite is one session: a failed ROLLBACK, or state the statement may have left behind, restarts it rather than
    // reusing it (stopping the worker discards an open transaction).
    if (!reply.rolledBack || !reply.clean) {
      this.ready = undefined;
      await this.worker.terminate();
    }
    const end = reply.rolledBack ? rolledBackEnd : discardedEnd;
    if (reply.error) {
      throw explainFailure(reviveError(reply.error), end, undefined, (cause) => new SessionEndedError({ driver: 'demo', file: this.options.dataDir }, cause, end.note));
    }
    return {
      dialect: 'postgres',
      analyzed: safe.analyze,
      rolledBack: reply.rolledBack,
      planFormat: 'postgres-json',
      plan: reply.plan,
      warnings: warningsAfter(safe.warnings, end),
      statement: safe.classification.statement,
    };
  }

  /** One proof request to the worker; a stopped or unclean worker is restarted, as after an explain. */
  private async proofRequest<T>(op: 'whatIf' | 'compare', args: unknown, budgetMs: number, signal: AbortSignal | undefined): Promise<T> {
    await this.start(signal);
    let reply: { value?: T; rolledBack: boolean; clean: boolean; error?: WorkerFailure };
    try {
      reply = await this.worker.request(op, args, { timeoutMs: budgetMs, ...(signal ? { signal } : {}) });
    } catch (err) {
      if (err instanceof ExplainCancelledError || err instanceof WorkerExitedError) this.ready = undefined;
      if (err instanceof ExplainCancelledError) throw new ExplainCancelledError(err.why, `${err.message}; ${discardedEnd.note}`, false);
      if (err instanceof WorkerExitedError) throw new SessionEndedError({ driver: 'demo', file: this.options.dataDir }, err.message, discardedEnd.note);
      throw err;
    }
    if (!reply.rolledBack || !reply.clean) {
      this.ready = undefined;
      await this.worker.terminate();
    }
    const end = reply.rolledBack ? rolledBackEnd : discardedEnd;
    if (reply.error) throw explainFailure(reviveError(reply.error), end, undefined, (cause) => new SessionEndedError({ driver: 'demo', file: this.options.dataDir }, cause, end.note));
    if (reply.value === undefined) throw new Error(`the demo database returned no ${op} result`);
    return reply.value;
  }

  async whatIf(sql: string, options: WhatIfOptions): Promise<WhatIfRaw> {
    const timeoutMs = options.timeoutMs ?? this.options.limits.statementTimeoutMs;
    const steps = 3 + options.variants.reduce((n, v) => n + 2 * v.length + 1, 0);
    const { signal, ...rest } = options;
    return this.proofRequest('whatIf', { sql, options: rest, timeoutMs, lockTimeoutMs: this.options.limits.lockTimeoutMs }, timeoutMs * steps, signal);
  }

  async compare(original: string, rewrite: string, options: CompareOptions): Promise<CompareFacts> {
    const timeoutMs = options.timeoutMs ?? this.options.limits.statementTimeoutMs;
    return this.proofRequest('compare', { original, rewrite, timeoutMs }, timeoutMs * 8, options.signal);
  }

  async introspect(options: { schema?: string; signal?: AbortSignal }): Promise<Catalog> {
    await this.start(options.signal);
    return this.worker.request<Catalog>('introspect', options.schema !== undefined ? { schema: options.schema } : {}, {
      timeoutMs: this.options.limits.statementTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  async describeTable(table: string, options: DescribeOptions = {}): Promise<TableDescription> {
    await this.start(options.signal);
    return this.worker.request<TableDescription>('describeTable', { table, mostCommonValues: options.mostCommonValues === true }, {
      timeoutMs: this.options.limits.statementTimeoutMs,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Stops every request of this database (the worker is terminated). To stop one request, abort its signal. */
  async cancel(): Promise<void> {
    if (this.worker.busy) {
      this.ready = undefined;
      await this.worker.terminate();
    }
  }

  async close(): Promise<void> {
    if (this.ready) {
      await this.ready.catch(() => undefined);
      await this.worker.request('close', null, { timeoutMs: 10_000 }).catch(() => undefined);
    }
    this.ready = undefined;
    await this.worker.terminate();
  }
}
