// PostgreSQL through `pg`: a small pool per connection, session limits sent in the startup packet, libpq-style
// parameters and TLS, and the one safe EXPLAIN path. Stopping a call reaches exactly that call's statement.
import pg from 'pg';
import type { Catalog } from '../../core/schema/catalog';
import type { PasswordReason } from '../connectionPasswords';
import type { CompareFacts } from '../../core/proof/compare';
import type { WhatIfRaw } from '../../core/proof/whatIf';
import { ConnectionError, ConsentRequiredError, ExplainCancelledError, IndexBuildConsentRequiredError, PasswordRequiredError, RefusedStatementError, SessionEndedError, StatementError, errorMessage } from '../errors';
import { compareOnSession, whatIfOnSession, type PgProofContext, type ProofOutcome } from '../pgProof';
import { explainInTransaction, type PgSession, type TransactionOutcome } from '../pgTransaction';
import { planSafeExplain } from '../safePath';
import { explainFailure, rolledBackEnd, serverAbortedEnd, warningsAfter } from '../transactionEnd';
import type { CompareOptions, ConnectionConfig, Database, ExplainOptions, ExplainResult, ServerInfo, SessionLimits, WhatIfOptions } from '../types';
import { introspectPostgres } from './catalog';
import { describePostgres, type CatalogQuery } from './describe';
import type { DescribeOptions, TableDescription } from '../../core/schema/tableDescription';
import { resolvePgParams, tlsOptions, type ResolvedPgParams } from './resolve';

export interface PostgresOptions {
  limits: SessionLimits;
  password?: string;
  env?: Record<string, string | undefined>;
  /**
   * Asked when the server wants a password and none is known, or refused the one we sent; its answer is tried once.
   * Only ever called for this connection's own server (the caller binds it to the server identity).
   */
  askPassword?: (reason: PasswordReason) => Promise<string | undefined>;
  /** Called with a password from `askPassword` once the server accepted it (the caller saves it for this server). */
  onPasswordAccepted?: (password: string) => Promise<void>;
}

/** How long a cancelled statement may take to stop before its backend is terminated, and then before its socket is closed. */
const cancelGraceMs = 2_000;

/** The server enforces statement_timeout itself; this much later, a call whose server does not answer is stopped from here. */
const unansweredMarginMs = 1_000;

/** Sessions per connection (pool size). */
const maxSessions = 3;

/** backend_start in microseconds since the epoch, as text: with the pid, it names one backend and never a later one. */
const backendStartSql = '(extract(epoch FROM backend_start) * 1000000)::bigint::text';

type StopReason = 'timeout' | 'cancelled';

/** One call's use of one pooled session, so that stopping the call reaches this session's statement and nothing else. */
interface Call {
  client: pg.PoolClient;
  /** The backend serving the session, and its start time; known once the session has been identified. */
  pid?: number;
  backendStart?: string;
  stopped?: StopReason;
  finished: boolean;
  whenFinished: Promise<void>;
  finish(): void;
}

function isServerError(err: unknown): boolean {
  const code = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  // SQLSTATE class 08 (connection exception) and 28 (invalid authorization) are connection problems, and so are
  // 57P01–57P05 (the session was terminated, the server is shutting down or starting).
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !/^(08|28|3D|57P)/.test(code);
}

/** Resolves true if the promise settles within `ms`, false otherwise; never keeps the process alive on its own. */
function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref?.();
    void promise.then(
      () => (clearTimeout(timer), resolve(true)),
      () => (clearTimeout(timer), resolve(true)),
    );
  });
}

export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly params: ResolvedPgParams;
  private password: string | undefined;
  private pool: pg.Pool | undefined;
  private connecting: Promise<pg.Pool> | undefined;
  private serverVersionNum = 0;
  /** Whether the pool ended up on TLS (sslmode prefer/allow decide at the first connect). */
  private encrypted = false;
  /** Calls using a session right now. */
  private readonly calls = new Set<Call>();
  /** Sessions already identified (pid, backend_start); a pooled session is identified once. */
  private readonly identities = new WeakMap<pg.PoolClient, { pid: number; backendStart: string }>();
  private closed = false;

  constructor(
    readonly config: ConnectionConfig,
    private readonly options: PostgresOptions,
  ) {
    this.params = resolvePgParams(config, { ...(options.password !== undefined ? { password: options.password } : {}), env: options.env ?? {} });
    this.password = this.params.password;
  }

  /** Notes from resolution (e.g. an ignored password file), for the log. */
  get resolutionWarnings(): readonly string[] {
    return this.params.warnings;
  }

  private get secrets(): (string | undefined)[] {
    return [this.params.password, this.password];
  }

  private get target(): ConnectionError['target'] {
    return { driver: 'postgres', host: this.params.host, port: this.params.port };
  }

  private connectionError(err: unknown): ConnectionError {
    if (err instanceof ConnectionError) return err;
    const message = errorMessage(err, this.secrets);
    if (/timeout exceeded when trying to connect|connection timeout/i.test(message)) {
      return new ConnectionError(this.target, `no answer within ${this.params.connectTimeoutSec} s (connect timeout; PGCONNECT_TIMEOUT sets it)`);
    }
    return new ConnectionError(this.target, message);
  }

  private sessionEnded(cause: string): SessionEndedError {
    return new SessionEndedError(this.target, errorMessage(cause, this.secrets), serverAbortedEnd.note);
  }

  private poolConfig(encrypted: boolean): pg.PoolConfig {
    const p = this.params;
    const limits = this.options.limits;
    return {
      host: p.host,
      port: p.port,
      user: p.user,
      database: p.database,
      // A function, so pg never falls back to its own PGPASSWORD/.pgpass lookup: resolution is ours alone. It is asked
      // only when the server requests a password.
      password: () => {
        if (this.password === undefined) throw new PasswordRequiredError(this.target);
        return this.password;
      },
      ssl: tlsOptions(p, encrypted, this.options.env ?? {}),
      application_name: p.applicationName,
      statement_timeout: limits.statementTimeoutMs,
      lock_timeout: limits.lockTimeoutMs,
      idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs,
      connectionTimeoutMillis: p.connectTimeoutSec * 1000,
      max: maxSessions,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
    };
  }

  private async tryPool(encrypted: boolean): Promise<pg.Pool> {
    const pool = new pg.Pool(this.poolConfig(encrypted));
    // An idle client dying (server restart) must not crash the host; the pool drops it and the next checkout reconnects.
    pool.on('error', () => undefined);
    try {
      const client = await pool.connect();
      // A session dying while we hold it emits 'error' (see begin()); unheard, that would be an uncaught exception.
      const onSessionError = (): void => undefined;
      client.on('error', onSessionError);
      try {
        // A server that accepted the login but stops answering must not hold the first call forever.
        const timeoutMs = this.params.connectTimeoutSec * 1000 || this.options.limits.statementTimeoutMs;
        const res = await client.query<{ v: string }>({ text: "SELECT current_setting('server_version_num') AS v", ...(timeoutMs > 0 ? { query_timeout: timeoutMs } : {}) });
        this.serverVersionNum = Number(res.rows[0]?.v ?? 0);
        client.removeListener('error', onSessionError);
        client.release();
      } catch (err) {
        client.removeListener('error', onSessionError);
        client.release(true);
        throw err;
      }
      return pool;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  /** Opens the pool, applying sslmode's fallbacks: prefer tries TLS first, allow tries plain first. */
  private async openPool(): Promise<pg.Pool> {
    const mode = this.params.sslMode;
    const order = mode === 'disable' ? [false] : mode === 'allow' ? [false, true] : mode === 'prefer' ? [true, false] : [true];
    let lastError: unknown;
    for (const encrypted of order) {
      try {
        const pool = await this.tryPool(encrypted);
        this.encrypted = encrypted;
        return pool;
      } catch (err) {
        lastError = err;
        const msg = err instanceof Error ? err.message : '';
        const tlsProblem = /does not support SSL|no pg_hba\.conf entry.*(no encryption|SSL off)|SSL/i.test(msg);
        if (!tlsProblem) break;
      }
    }
    throw this.connectionError(lastError);
  }

  /** Opens the pool once. When the server wants a password we lack, or refuses ours, asks (if we may) and tries once more. */
  private getPool(): Promise<pg.Pool> {
    if (this.closed) return Promise.reject(this.connectionError(new Error('the connection is closed')));
    if (this.pool) return Promise.resolve(this.pool);
    this.connecting ??= (async () => {
      let pool: pg.Pool;
      try {
        pool = await this.openPool();
      } catch (err) {
        const reason: PasswordReason | undefined =
          err instanceof PasswordRequiredError ? 'required' : (err as { code?: unknown }).code === '28P01' || /password authentication failed/i.test((err as Error).message) ? 'rejected' : undefined;
        if (!reason || !this.options.askPassword) throw err;
        const typed = await this.options.askPassword(reason);
        if (!typed) throw err;
        this.password = typed;
        pool = await this.openPool();
        try {
          await this.options.onPasswordAccepted?.(typed);
        } catch {
          // Saving is the caller's business; the connection works either way.
        }
      }
      if (this.closed) {
        await pool.end().catch(() => undefined);
        throw this.connectionError(new Error('the connection is closed'));
      }
      this.pool = pool;
      return pool;
    })().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  /** A session from the pool; Stop (the signal) ends the wait at once, also while connecting. */
  private checkout(signal: AbortSignal | undefined): Promise<pg.PoolClient> {
    const attempt = (async () => {
      const pool = await this.getPool();
      try {
        return await pool.connect();
      } catch (err) {
        // pg-pool reports the same timeout when the server does not answer and when every session stayed busy.
        const busy = pool.totalCount >= maxSessions && pool.idleCount === 0;
        if (busy && /timeout exceeded when trying to connect/i.test(errorMessage(err))) {
          throw new ConnectionError(this.target, `all ${maxSessions} sessions of this connection stayed busy for ${this.params.connectTimeoutSec} s (connect timeout; PGCONNECT_TIMEOUT sets it)`);
        }
        throw this.connectionError(err);
      }
    })();
    if (!signal) return attempt;
    return new Promise<pg.PoolClient>((resolve, reject) => {
      const onAbort = (): void => {
        reject(new ExplainCancelledError('cancelled', `cancelled while connecting to ${this.params.host}:${this.params.port}`));
        // A session that arrives after Stop goes back to the pool unused.
        attempt.then((client) => client.release(), () => undefined);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      attempt.then(
        (client) => {
          signal.removeEventListener('abort', onAbort);
          if (!signal.aborted) resolve(client);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  /**
   * Starts a call: a session, stopped by the signal or after `limitMs` (+ a margin: the server enforces the limit
   * itself; this covers a server that does not answer).
   */
  private async begin(signal: AbortSignal | undefined, limitMs: number): Promise<Call> {
    const client = await this.checkout(signal);
    if (signal?.aborted) {
      client.release();
      throw new ExplainCancelledError('cancelled', 'cancelled before it started');
    }
    let finish!: () => void;
    const whenFinished = new Promise<void>((r) => (finish = r));
    const call: Call = { client, finished: false, whenFinished, finish: () => ((call.finished = true), finish()) };
    // A session that dies while we hold it emits 'error'; the pool listens only while it is idle. Without this
    // listener a server restart mid-call would be an uncaught exception (the CLI would crash).
    const onSessionError = (): void => undefined;
    client.on('error', onSessionError);
    const onAbort = (): void => this.stop(call, 'cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    const guard = limitMs > 0 ? setTimeout(() => this.stop(call, 'timeout'), limitMs + unansweredMarginMs) : undefined;
    void whenFinished.then(() => {
      if (guard) clearTimeout(guard);
      signal?.removeEventListener('abort', onAbort);
      client.removeListener('error', onSessionError);
    });
    this.calls.add(call);
    return call;
  }

  /** Learns the session's backend (pid and start time) once per session, so a stop can name exactly it. */
  private async identify(call: Call): Promise<void> {
    let identity = this.identities.get(call.client);
    if (!identity) {
      const res = await call.client.query<{ pid: number; started: string }>(`SELECT pid, ${backendStartSql} AS started FROM pg_stat_activity WHERE pid = pg_backend_pid()`);
      const row = res.rows[0];
      if (!row) return;
      identity = { pid: row.pid, backendStart: row.started };
      this.identities.set(call.client, identity);
    }
    call.pid = identity.pid;
    call.backendStart = identity.backendStart;
  }

  /**
   * Ends a call. The session goes back to the pool only when it is clean and nobody tried to stop it: a session that
   * a cancel or terminate may still reach is destroyed, so a late stop can never hit another call's statement.
   */
  private end(call: Call, reusable: boolean): void {
    this.calls.delete(call);
    call.finish();
    call.client.release(reusable && !call.stopped ? undefined : true);
  }

  /** Stops one call (never another): cancel its statement, then terminate its backend, then close its socket. */
  private stop(call: Call, why: StopReason): void {
    if (call.finished || call.stopped) return;
    call.stopped = why;
    void this.stopOnServer(call);
  }

  private async stopOnServer(call: Call): Promise<void> {
    // pid AND backend_start: a later backend that reuses the pid is a different row and is never signalled. The session
    // is not given to another call after a stop (see end()), so its backend serves nothing but this call.
    const exact = `FROM pg_stat_activity WHERE pid = $1 AND ${backendStartSql} = $2`;
    const target = call.pid !== undefined && call.backendStart !== undefined ? [call.pid, call.backendStart] : undefined;
    let side: pg.Client | undefined;
    const connected = target ? this.openSideSession() : Promise.resolve(undefined);
    try {
      void connected.then((client) => {
        side = client;
        if (client && !call.finished) return client.query(`SELECT pg_cancel_backend(pid) ${exact}`, target);
        return undefined;
      }).catch(() => undefined);
      if (await settlesWithin(call.whenFinished, cancelGraceMs)) return;
      if (side && target) {
        const sent = await settlesWithin(side.query(`SELECT pg_terminate_backend(pid) ${exact}`, target), cancelGraceMs);
        if (sent && (await settlesWithin(call.whenFinished, cancelGraceMs))) return;
      }
      // The server did not stop it, or could not be reached: close this call's socket, so the call ends now. The server
      // aborts the session's transaction when it notices; statement_timeout bounds the statement meanwhile.
      if (!call.finished) await call.client.end().catch(() => undefined);
    } finally {
      void connected.then((client) => client?.end()).catch(() => undefined);
    }
  }

  /** A fresh connection for cancel and terminate (never from the pool, which may be exhausted); undefined if unreachable. */
  private async openSideSession(): Promise<pg.Client | undefined> {
    const client = new pg.Client({ ...this.poolConfig(this.encrypted), application_name: `${this.params.applicationName}-cancel` });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch {
      await client.end().catch(() => undefined);
      return undefined;
    }
  }

  /**
   * Runs `work` on a session. A session that was idle in the pool may have died since (a server restart): when the
   * first statement fails for that reason, the call is retried once on a fresh session — nothing of it ran yet.
   */
  private async withCall<T>(signal: AbortSignal | undefined, limitMs: number, work: (call: Call) => Promise<{ value: T; reusable: boolean }>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const call = await this.begin(signal, limitMs);
      const reused = this.identities.has(call.client);
      let result: { value: T; reusable: boolean };
      try {
        await this.identify(call);
        if (call.stopped) throw new Error('stopped before it started');
        result = await work(call);
      } catch (err) {
        this.end(call, false);
        if (err instanceof RefusedStatementError) throw err;
        if (call.stopped) throw new ExplainCancelledError(call.stopped, `${call.stopped === 'timeout' ? 'stopped by the timeout' : 'cancelled'} (${errorMessage(err, this.secrets)})`);
        if (err instanceof StatementError) throw err;
        if (isServerError(err)) throw new StatementError(errorMessage(err, this.secrets));
        // A session that sat in the pool may have died since it was last used: one retry on a fresh session.
        if (reused && attempt === 0 && !(err instanceof PasswordRequiredError)) continue;
        throw this.connectionError(err);
      }
      this.end(call, result.reusable);
      return result.value;
    }
  }

  async test(signal?: AbortSignal): Promise<ServerInfo> {
    signal?.throwIfAborted();
    return this.withCall(signal, this.options.limits.statementTimeoutMs, async ({ client }) => {
      const res = await client.query<{ version: string; db: string }>('SELECT version() AS version, current_database() AS db');
      const row = res.rows[0];
      return { value: { dialect: 'postgres', version: row?.version ?? 'unknown', database: row?.db ?? this.params.database }, reusable: true };
    });
  }

  async explain(sql: string, options: ExplainOptions): Promise<ExplainResult> {
    const safe = planSafeExplain(sql, 'postgres', options);
    options.signal?.throwIfAborted();
    const limitMs = options.timeoutMs ?? this.options.limits.statementTimeoutMs;
    let stopped: StopReason | undefined;
    // withCall retries only failures before the transaction began (BEGIN on a dead pooled session); once it began, the
    // outcome — with its error — comes back here.
    const outcome = await this.withCall<TransactionOutcome>(options.signal, limitMs, async (call) => {
      const session = this.session(call);
      const result = await explainInTransaction(session, safe, this.serverVersionNum, {
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
        secrets: this.secrets,
      });
      stopped = call.stopped;
      // A failed ROLLBACK means the session state is unknown, and a session that may keep what the statement left behind
      // (DISCARD ALL failed) is not clean: either way it is destroyed, never pooled.
      return { value: result, reusable: result.rolledBack && result.clean };
    });
    const end = outcome.rolledBack ? rolledBackEnd : serverAbortedEnd;
    if (outcome.error) {
      const e = explainFailure(outcome.error, end, stopped, (cause) => this.sessionEnded(cause));
      if (e instanceof StatementError || e instanceof ExplainCancelledError || e instanceof ConnectionError || e instanceof ConsentRequiredError) throw e;
      throw this.connectionError(e);
    }
    return {
      dialect: 'postgres',
      analyzed: safe.analyze,
      rolledBack: outcome.rolledBack,
      planFormat: 'postgres-json',
      plan: outcome.plan,
      warnings: warningsAfter(safe.warnings, end),
      statement: safe.classification.statement,
    };
  }

  /** The call's session as the shared transaction code sees it (explain, what-if, compare). */
  private session(call: Call): PgSession {
    const client = call.client;
    const extendedConfig = (text: string): pg.QueryArrayConfig & { queryMode: 'extended' } => {
      // After Stop nothing of the user's is sent any more (ROLLBACK, on the simple protocol, still is).
      if (call.stopped) throw new Error(`the call was ${call.stopped === 'timeout' ? 'stopped by the timeout' : 'cancelled'}`);
      // queryMode 'extended' forces Parse/Bind/Execute even without parameters (pg types omit the field). Values come
      // back as text (no type parsing here): pgTransaction parses small plans and hands large ones on as text, so the
      // extension can parse them off its main thread, and comparisons see PostgreSQL's own text forms.
      return { text, values: [], rowMode: 'array', queryMode: 'extended', types: { getTypeParser: () => (value: string) => value } };
    };
    return {
      simple: async (text) => void (await client.query(text)),
      extended: async (text) => (await client.query(extendedConfig(text))).rows as unknown[][],
      described: async (text) => {
        const res = await client.query(extendedConfig(text));
        return { rows: res.rows as unknown[][], fields: res.fields.map((f) => ({ name: f.name, typeId: f.dataTypeID })) };
      },
      query: async (text, values) => (await client.query({ text, values, rowMode: 'array' })).rows as unknown[][],
    };
  }

  /** Runs one proof operation on a pinned session; its outcome's error is thrown once the session is settled. */
  private async proof<T>(signal: AbortSignal | undefined, guardMs: number, run: (session: PgSession) => Promise<ProofOutcome<T>>): Promise<T> {
    signal?.throwIfAborted();
    let stopped: StopReason | undefined;
    const outcome = await this.withCall<ProofOutcome<T>>(signal, guardMs, async (call) => {
      const result = await run(this.session(call));
      stopped = call.stopped;
      // A session that may still hold a hypothetical index, a setting or a lock is destroyed, never pooled.
      return { value: result, reusable: result.rolledBack && result.clean };
    });
    const end = outcome.rolledBack ? rolledBackEnd : serverAbortedEnd;
    if (outcome.error) {
      const e = explainFailure(outcome.error, end, stopped, (cause) => this.sessionEnded(cause));
      if (
        e instanceof StatementError || e instanceof ExplainCancelledError || e instanceof ConnectionError || e instanceof ConsentRequiredError ||
        e instanceof RefusedStatementError || e instanceof IndexBuildConsentRequiredError
      ) {
        throw e;
      }
      throw this.connectionError(e);
    }
    if (outcome.value === undefined) throw new Error('the proof returned nothing');
    return outcome.value;
  }

  private proofContext(timeoutMs: number | undefined): PgProofContext {
    return {
      serverVersionNum: this.serverVersionNum,
      timeoutMs: timeoutMs ?? this.options.limits.statementTimeoutMs,
      lockTimeoutMs: this.options.limits.lockTimeoutMs,
      secrets: this.secrets,
      mayHaveHypopg: true,
    };
  }

  async whatIf(sql: string, options: WhatIfOptions): Promise<WhatIfRaw> {
    const ctx = this.proofContext(options.timeoutMs);
    // The call's guard covers every step: the explains and each build, each under its own statement_timeout.
    const steps = 3 + options.variants.reduce((n, v) => n + 2 * v.length + 1, 0);
    return this.proof(options.signal, ctx.timeoutMs * steps, (session) => whatIfOnSession(session, sql, options, ctx));
  }

  async compare(original: string, rewrite: string, options: CompareOptions): Promise<CompareFacts> {
    const ctx = this.proofContext(options.timeoutMs);
    return this.proof(options.signal, ctx.timeoutMs * 8, (session) => compareOnSession(session, original, rewrite, ctx));
  }

  async introspect(options: { schema?: string; signal?: AbortSignal }): Promise<Catalog> {
    return this.readCatalog(options.signal, (query) => introspectPostgres(query, options.schema !== undefined ? { schema: options.schema } : {}));
  }

  async describeTable(table: string, options: DescribeOptions = {}): Promise<TableDescription> {
    return this.readCatalog(options.signal, (query) => describePostgres(query, table, { mostCommonValues: options.mostCommonValues === true }));
  }

  /** Catalog reads (introspection, describe) in one READ ONLY transaction that is rolled back; parameters are bound. */
  private async readCatalog<T>(signal: AbortSignal | undefined, read: (query: CatalogQuery) => Promise<T>): Promise<T> {
    signal?.throwIfAborted();
    return this.withCall(signal, this.options.limits.statementTimeoutMs, async ({ client }) => {
      await client.query('BEGIN READ ONLY');
      let value: T;
      try {
        const query = async (text: string, params?: unknown[]): Promise<Record<string, unknown>[]> => (await client.query<Record<string, unknown>>(text, params ?? [])).rows;
        value = await read(query);
      } catch (err) {
        const rolledBack = await client.query('ROLLBACK').then(() => true, () => false);
        if (rolledBack) throw isServerError(err) ? new StatementError(errorMessage(err, this.secrets)) : err;
        // The session ended mid-read (nothing is ever written: READ ONLY). A session that had sat in the pool is retried once.
        throw this.sessionEnded(errorMessage(err, this.secrets));
      }
      await client.query('ROLLBACK');
      return { value, reusable: true };
    });
  }

  /**
   * Stops every call running on this connection right now, whoever started it. To stop one call, abort the signal
   * given to that call: that reaches only its own statement.
   */
  async cancel(): Promise<void> {
    const calls = [...this.calls];
    for (const call of calls) this.stop(call, 'cancelled');
    await Promise.all(calls.map((c) => c.whenFinished));
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = undefined;
    // A connect still under way ends its pool itself when it completes (getPool checks `closed`); never wait for it here,
    // so closing never hangs on a server that does not answer.
    await pool?.end().catch(() => undefined);
  }
}
