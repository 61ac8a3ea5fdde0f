// PostgreSQL through `pg`: a small pool per connection, session limits sent in the startup packet, libpq-style
// parameters and TLS, and the one safe EXPLAIN path. Cancel goes through a second connection.
import pg from 'pg';
import type { Catalog } from '../../core/schema/catalog';
import { ConnectionError, ConsentRequiredError, ExplainCancelledError, StatementError, errorMessage } from '../errors';
import { explainInTransaction, type PgSession } from '../pgTransaction';
import { planSafeExplain } from '../safePath';
import type { ConnectionConfig, Database, ExplainOptions, ExplainResult, ServerInfo, SessionLimits } from '../types';
import { introspectPostgres } from './catalog';
import { resolvePgParams, tlsOptions, type ResolvedPgParams } from './resolve';

export interface PostgresOptions {
  limits: SessionLimits;
  password?: string;
  env?: Record<string, string | undefined>;
}

/** How long a cancelled statement may take to stop before its backend is terminated. */
const cancelGraceMs = 2_000;

function isServerError(err: unknown): boolean {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  // SQLSTATE class 08 (connection exception) and 28 (invalid authorization) are connection problems.
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|28|3D|57P)/.test(code);
}

export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly params: ResolvedPgParams;
  private pool: pg.Pool | undefined;
  private connecting: Promise<pg.Pool> | undefined;
  private serverVersionNum = 0;
  /** Whether the pool ended up on TLS (sslmode prefer/allow decide at the first connect). */
  private encrypted = false;
  /** Backend pids of statements running right now. */
  private readonly running = new Set<number>();
  private closed = false;

  constructor(
    readonly config: ConnectionConfig,
    private readonly options: PostgresOptions,
  ) {
    this.params = resolvePgParams(config, { ...(options.password !== undefined ? { password: options.password } : {}), env: options.env ?? {} });
  }

  /** Notes from resolution (e.g. an ignored password file), for the log. */
  get resolutionWarnings(): readonly string[] {
    return this.params.warnings;
  }

  private get secrets(): (string | undefined)[] {
    return [this.params.password];
  }

  private connectionError(err: unknown): ConnectionError {
    if (err instanceof ConnectionError) return err;
    return new ConnectionError({ driver: 'postgres', host: this.params.host, port: this.params.port }, errorMessage(err, this.secrets));
  }

  private poolConfig(encrypted: boolean): pg.PoolConfig {
    const p = this.params;
    const password = p.password;
    const limits = this.options.limits;
    return {
      host: p.host,
      port: p.port,
      user: p.user,
      database: p.database,
      // A function, so pg never falls back to its own PGPASSWORD/.pgpass lookup: resolution is ours alone.
      password: () => {
        if (password === undefined) throw new Error('the server asks for a password and none is stored (Add Connection, PGPASSWORD or ~/.pgpass)');
        return password;
      },
      ssl: tlsOptions(p, encrypted, this.options.env ?? {}),
      application_name: p.applicationName,
      statement_timeout: limits.statementTimeoutMs,
      lock_timeout: limits.lockTimeoutMs,
      idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
      connectionTimeoutMillis: p.connectTimeoutSec * 1000,
      max: 3,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
    };
  }

  private async tryPool(encrypted: boolean): Promise<pg.Pool> {
    const pool = new pg.Pool(this.poolConfig(encrypted));
    // An idle client dying (server restart) must not crash the host; the next checkout reconnects.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      const res = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      this.serverVersionNum = Number(res.rows[0]?.v ?? 0);
      client.release();
      return pool;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  /** Opens the pool once, applying sslmode's fallbacks: prefer tries TLS first, allow tries plain first. */
  private getPool(): Promise<pg.Pool> {
    if (this.closed) return Promise.reject(this.connectionError(new Error('the connection is closed')));
    if (this.pool) return Promise.resolve(this.pool);
    this.connecting ??= (async () => {
      const mode = this.params.sslMode;
      const order = mode === 'disable' ? [false] : mode === 'allow' ? [false, true] : mode === 'prefer' ? [true, false] : [true];
      let lastError: unknown;
      for (const encrypted of order) {
        try {
          this.pool = await this.tryPool(encrypted);
          this.encrypted = encrypted;
          return this.pool;
        } catch (err) {
          lastError = err;
          const msg = err instanceof Error ? err.message : '';
          const tlsProblem = /does not support SSL|no pg_hba\.conf entry.*(no encryption|SSL off)|SSL/i.test(msg);
          if (!tlsProblem) break;
        }
      }
      throw this.connectionError(lastError);
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async checkout(): Promise<pg.PoolClient> {
    const pool = await this.getPool();
    try {
      return await pool.connect();
    } catch (err) {
      throw this.connectionError(err);
    }
  }

  async test(signal?: AbortSignal): Promise<ServerInfo> {
    signal?.throwIfAborted();
    const client = await this.checkout();
    try {
      const res = await client.query<{ version: string; db: string }>('SELECT version() AS version, current_database() AS db');
      const row = res.rows[0];
      return { dialect: 'postgres', version: row?.version ?? 'unknown', database: row?.db ?? this.params.database };
    } catch (err) {
      throw this.connectionError(err);
    } finally {
      client.release();
    }
  }

  async explain(sql: string, options: ExplainOptions): Promise<ExplainResult> {
    const safe = planSafeExplain(sql, 'postgres', options);
    options.signal?.throwIfAborted();
    const client = await this.checkout();
    // pg does not type processID, but sets it from BackendKeyData on every connection.
    const pid = (client as unknown as { processID?: number | null }).processID;
    if (pid !== null && pid !== undefined) this.running.add(pid);
    let why: 'timeout' | 'cancelled' | undefined;
    const stop = (reason: 'timeout' | 'cancelled'): void => {
      why ??= reason;
      if (pid !== null && pid !== undefined) void this.cancelBackend(pid, () => this.running.has(pid));
    };
    const onAbort = (): void => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    // The server enforces the timeout (SET LOCAL statement_timeout); this guard only covers a server that
    // does not answer, and cancels from outside.
    const limitMs = options.timeoutMs ?? this.options.limits.statementTimeoutMs;
    const guard = limitMs > 0 ? setTimeout(() => stop('timeout'), limitMs + 1_000) : undefined;
    const session: PgSession = {
      simple: async (text) => void (await client.query(text)),
      extended: async (text) => {
        // queryMode 'extended' forces Parse/Bind/Execute even without parameters (pg types omit the field).
        // The plan comes back as text (no type parsing here): pgTransaction parses small plans and hands large ones on as
        // text, so the extension can parse them off its main thread.
        const config: pg.QueryArrayConfig & { queryMode: 'extended' } = {
          text,
          values: [],
          rowMode: 'array',
          queryMode: 'extended',
          types: { getTypeParser: () => (value: string) => value },
        };
        return (await client.query(config)).rows as unknown[][];
      },
      query: async (text, values) => (await client.query({ text, values, rowMode: 'array' })).rows as unknown[][],
    };
    let outcome;
    try {
      outcome = await explainInTransaction(session, safe, this.serverVersionNum, {
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        secrets: this.secrets,
      });
    } catch (err) {
      // BEGIN itself failed: the connection is unusable.
      client.release(true);
      throw isServerError(err) ? new StatementError(errorMessage(err, this.secrets)) : this.connectionError(err);
    } finally {
      if (guard) clearTimeout(guard);
      options.signal?.removeEventListener('abort', onAbort);
      if (pid !== null && pid !== undefined) this.running.delete(pid);
    }
    // A failed ROLLBACK means the session state is unknown: destroy it, so the server aborts the transaction. A session
    // that may keep what the statement left behind (DISCARD ALL failed) is destroyed too: the pool gets only clean ones.
    client.release(outcome.rolledBack && outcome.clean ? undefined : true);
    if (outcome.error) {
      const e = outcome.error;
      if (why && !(e instanceof ExplainCancelledError)) throw new ExplainCancelledError(why, `the explain was ${why === 'timeout' ? 'stopped by the timeout' : 'cancelled'}; the transaction was rolled back`);
      if (e instanceof ExplainCancelledError && why === 'cancelled') throw new ExplainCancelledError('cancelled', e.message);
      if (e instanceof StatementError || e instanceof ExplainCancelledError || e instanceof ConsentRequiredError) throw e;
      throw this.connectionError(e);
    }
    return {
      dialect: 'postgres',
      analyzed: safe.analyze,
      rolledBack: true,
      planFormat: 'postgres-json',
      plan: outcome.plan,
      warnings: safe.warnings,
      statement: safe.classification.statement,
    };
  }

  /**
   * pg_cancel_backend from a fresh connection (never from the pool, which may be exhausted); if the statement
   * is still running after a grace period, pg_terminate_backend, so nothing keeps running on the server.
   */
  private async cancelBackend(pid: number, stillRunning: () => boolean): Promise<void> {
    const client = new pg.Client({ ...this.poolConfig(this.encrypted), application_name: `${this.params.applicationName}-cancel` });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
      await new Promise((r) => setTimeout(r, cancelGraceMs));
      if (stillRunning()) await client.query('SELECT pg_terminate_backend($1)', [pid]);
    } catch {
      // Best effort: the server-side statement_timeout still bounds the statement.
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async introspect(options: { schema?: string; signal?: AbortSignal }): Promise<Catalog> {
    options.signal?.throwIfAborted();
    const client = await this.checkout();
    let ok = false;
    try {
      await client.query('BEGIN READ ONLY');
      const query = async (text: string, params?: unknown[]): Promise<Record<string, unknown>[]> =>
        (await client.query<Record<string, unknown>>(text, params ?? [])).rows;
      const catalog = await introspectPostgres(query, options.schema !== undefined ? { schema: options.schema } : {});
      await client.query('ROLLBACK');
      ok = true;
      return catalog;
    } catch (err) {
      await client.query('ROLLBACK').then(() => (ok = true), () => undefined);
      throw isServerError(err) ? new StatementError(errorMessage(err, this.secrets)) : this.connectionError(err);
    } finally {
      client.release(ok ? undefined : true);
    }
  }

  async cancel(): Promise<void> {
    await Promise.all([...this.running].map((pid) => this.cancelBackend(pid, () => this.running.has(pid))));
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool ?? (await this.connecting?.catch(() => undefined));
    this.pool = undefined;
    await pool?.end().catch(() => undefined);
  }
}
