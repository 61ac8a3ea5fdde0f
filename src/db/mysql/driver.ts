// MySQL and MariaDB through mysql2: a few sessions per connection, limits set on every session, and the one safe
// EXPLAIN path. Every explain runs between our own START TRANSACTION [READ ONLY] and ROLLBACK; mysql2's
// multipleStatements stays off, so the server itself refuses a second statement, on top of the lexer's count. A stop
// reaches exactly its call: KILL QUERY <that session's id> from a second connection, then KILL of the session.
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';
import type { CompareFacts } from '../../core/proof/compare';
import type { Catalog } from '../../core/schema/catalog';
import { tokenize } from '../../core/sql/lexer';
import type { PasswordReason } from '../connectionPasswords';
import { ConnectionError, ConsentRequiredError, ExplainCancelledError, PasswordRequiredError, RefusedStatementError, SessionEndedError, StatementError, errorMessage } from '../errors';
import { planSafeExplain, type SafeExplain } from '../safePath';
import { explainFailure, rolledBackEnd, serverAbortedEnd, warningsAfter, type TransactionEnd } from '../transactionEnd';
import type { CompareOptions, ConnectionConfig, Database, ExplainOptions, ExplainResult, ServerInfo, SessionLimits } from '../types';
import type { DescribeOptions, TableDescription } from '../../core/schema/tableDescription';
import { introspectMysql } from './catalog';
import { describeMysql } from './describe';
import { compareOnMysql } from './compare';
import { resolveMysqlParams, type ResolvedMysqlParams } from './resolve';

export interface MysqlOptions {
  limits: SessionLimits;
  password?: string;
  env?: Record<string, string | undefined>;
  /** The option file's text (tests); by default ~/.my.cnf. */
  optionFile?: string | null;
  askPassword?: (reason: PasswordReason) => Promise<string | undefined>;
  onPasswordAccepted?: (password: string) => Promise<void>;
}

/** Which server answered: the two differ in the ANALYZE statement, the timeout variable and the JSON they print. */
export type MysqlFlavor = 'mariadb' | 'mysql';

/** How long a KILL QUERY may take to stop the statement before the session itself is killed and its socket closed. */
const cancelGraceMs = 2_000;
/** The server enforces the statement timeout itself; this much later, a call whose server does not answer is stopped from here. */
const unansweredMarginMs = 1_000;
/** Idle sessions kept per connection. */
const maxIdle = 3;

interface MysqlError {
  errno?: number;
  code?: string;
  fatal?: boolean;
  message: string;
}

function asMysqlError(err: unknown): MysqlError {
  return err instanceof Error ? (err) : { message: String(err) };
}

/** Server errors that end the statement, not the session (class 08 and fatal socket errors do). */
const timeoutErrnos = new Set([1969 /* MariaDB max_statement_time */, 3024 /* MySQL max_execution_time */]);
const interruptedErrno = 1317;
const readOnlyErrno = 1792;
const accessDeniedErrno = 1045;

interface Call {
  conn: Connection;
  threadId: number;
  stopped?: 'timeout' | 'cancelled';
  finished: boolean;
  whenFinished: Promise<void>;
  finish(): void;
}

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

/** The first cell of the first row, as text (EXPLAIN/ANALYZE print one cell). */
function firstCell(rows: unknown): string | undefined {
  if (!Array.isArray(rows) || !rows.length) return undefined;
  const row: unknown = rows[0];
  if (row === null || typeof row !== 'object') return undefined;
  const cell: unknown = Object.values(row)[0];
  return typeof cell === 'string' ? cell : Buffer.isBuffer(cell) ? cell.toString('utf8') : undefined;
}

export class MysqlDatabase implements Database {
  readonly dialect = 'mysql' as const;
  private readonly params: ResolvedMysqlParams;
  private password: string | undefined;
  private readonly idle: Connection[] = [];
  private readonly calls = new Set<Call>();
  private flavorKnown: MysqlFlavor | undefined;
  private version = '';
  private askedOnce = false;
  /** The limits each session was last given, so a call with the same limits saves the SET round trip. */
  private readonly applied = new WeakMap<Connection, string>();
  private closed = false;

  constructor(
    readonly config: ConnectionConfig,
    private readonly options: MysqlOptions,
  ) {
    this.params = resolveMysqlParams(config, {
      ...(options.password !== undefined ? { password: options.password } : {}),
      env: options.env ?? {},
      ...(options.optionFile !== undefined ? { optionFile: options.optionFile } : {}),
    });
    this.password = this.params.password;
  }

  /** Notes from resolution (an option file ignored, a password kept from another host), for the log. */
  get resolutionWarnings(): readonly string[] {
    return this.params.warnings;
  }

  /** MariaDB or MySQL, once a session has been opened. */
  get flavor(): MysqlFlavor | undefined {
    return this.flavorKnown;
  }

  private get secrets(): (string | undefined)[] {
    return [this.params.password, this.password];
  }

  private get target(): ConnectionError['target'] {
    return { driver: 'mysql', host: this.params.host, port: this.params.port };
  }

  private connectionOptions(): ConnectionOptions {
    const p = this.params;
    return {
      host: p.host,
      port: p.port,
      user: p.user,
      ...(p.database ? { database: p.database } : {}),
      ...(this.password !== undefined ? { password: this.password } : {}),
      // One statement per query, always: the server refuses `a; b` when the client does not ask for more.
      multipleStatements: false,
      connectTimeout: p.connectTimeoutSec * 1000,
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      // Never LOAD DATA LOCAL: a server could ask for any client file.
      flags: ['-LOCAL_FILES'],
    };
  }

  /** Sets the session's limits for this call, unless the session already has exactly these. */
  private async applyLimits(conn: Connection, timeoutMs: number): Promise<void> {
    const sql = this.limitSql(timeoutMs);
    if (this.applied.get(conn) === sql) return;
    await conn.query(sql);
    this.applied.set(conn, sql);
  }

  private limitSql(timeoutMs: number): string {
    const limits = this.options.limits;
    const lockSec = Math.max(1, Math.ceil(limits.lockTimeoutMs / 1000));
    const parts = [`lock_wait_timeout = ${lockSec}`, `innodb_lock_wait_timeout = ${lockSec}`];
    if (this.flavorKnown === 'mariadb') {
      // MariaDB: seconds (a fraction allowed), for every statement; 0 means none.
      parts.unshift(`max_statement_time = ${timeoutMs > 0 ? (timeoutMs / 1000).toFixed(3) : 0}`);
      parts.push(`idle_transaction_timeout = ${Math.max(1, Math.ceil(limits.idleInTransactionTimeoutMs / 1000))}`);
    } else {
      // MySQL: milliseconds, for read-only SELECTs only; other statements are stopped by the client guard (KILL QUERY).
      parts.unshift(`max_execution_time = ${Math.max(0, Math.floor(timeoutMs))}`);
    }
    return `SET SESSION ${parts.join(', ')}`;
  }

  private async openSession(): Promise<Connection> {
    let conn: Connection;
    try {
      conn = await createConnection(this.connectionOptions());
    } catch (err) {
      const e = asMysqlError(err);
      if (e.errno === accessDeniedErrno) {
        const reason: PasswordReason = this.password === undefined ? 'required' : 'rejected';
        if (this.options.askPassword && !this.askedOnce) {
          this.askedOnce = true;
          const typed = await this.options.askPassword(reason);
          if (typed) {
            this.password = typed;
            const again = await this.openSession();
            try {
              await this.options.onPasswordAccepted?.(typed);
            } catch {
              // Saving is the caller's business; the connection works either way.
            }
            return again;
          }
        }
        if (reason === 'required') throw new PasswordRequiredError(this.target);
      }
      throw new ConnectionError(this.target, errorMessage(err, this.secrets));
    }
    // A session that dies while idle or in use must never become an uncaught exception.
    conn.on('error', () => undefined);
    if (!this.flavorKnown) {
      const [rows] = await conn.query('SELECT VERSION() AS v');
      this.version = firstCell(rows) ?? '';
      this.flavorKnown = /mariadb/i.test(this.version) ? 'mariadb' : 'mysql';
    }
    return conn;
  }

  /** A session (idle or new); Stop ends the wait at once, also while connecting. */
  private async checkout(signal: AbortSignal | undefined): Promise<Connection> {
    if (this.closed) throw new ConnectionError(this.target, 'the connection is closed');
    const idle = this.idle.pop();
    if (idle) return idle;
    const attempt = this.openSession();
    if (!signal) return attempt;
    return new Promise<Connection>((resolve, reject) => {
      const onAbort = (): void => {
        reject(new ExplainCancelledError('cancelled', `cancelled while connecting to ${this.params.host}:${this.params.port}; nothing ran`));
        attempt.then((c) => c.destroy(), () => undefined);
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      attempt.then(
        (c) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) c.destroy();
          else resolve(c);
        },
        (err: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  private async begin(signal: AbortSignal | undefined, limitMs: number): Promise<Call> {
    const conn = await this.checkout(signal);
    if (signal?.aborted) {
      conn.destroy();
      throw new ExplainCancelledError('cancelled', 'cancelled before it started');
    }
    let finish!: () => void;
    const whenFinished = new Promise<void>((r) => (finish = r));
    const call: Call = { conn, threadId: conn.threadId, finished: false, whenFinished, finish: () => ((call.finished = true), finish()) };
    const onAbort = (): void => this.stop(call, 'cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });
    const guard = limitMs > 0 ? setTimeout(() => this.stop(call, 'timeout'), limitMs + unansweredMarginMs) : undefined;
    void whenFinished.then(() => {
      if (guard) clearTimeout(guard);
      signal?.removeEventListener('abort', onAbort);
    });
    this.calls.add(call);
    return call;
  }

  /** Ends a call; the session is kept only when clean and nobody tried to stop it. */
  private end(call: Call, reusable: boolean): void {
    this.calls.delete(call);
    call.finish();
    if (reusable && !call.stopped && !this.closed && this.idle.length < maxIdle) this.idle.push(call.conn);
    else call.conn.destroy();
  }

  /** Stops one call: KILL QUERY its statement from a second session, then KILL the session, then close the socket. */
  private stop(call: Call, why: 'timeout' | 'cancelled'): void {
    if (call.finished || call.stopped) return;
    call.stopped = why;
    void this.stopOnServer(call);
  }

  private async stopOnServer(call: Call): Promise<void> {
    const kill = async (what: 'QUERY' | 'CONNECTION'): Promise<void> => {
      let side: Connection | undefined;
      try {
        side = await createConnection({ ...this.connectionOptions(), connectTimeout: 5_000 });
        side.on('error', () => undefined);
        // The id is a number we read from the handshake, never text from anywhere else.
        await side.query(`KILL ${what} ${Math.floor(call.threadId)}`);
      } catch {
        // The statement may have finished, or the server may be gone; the next step covers both.
      } finally {
        side?.destroy();
      }
    };
    await kill('QUERY');
    if (await settlesWithin(call.whenFinished, cancelGraceMs)) return;
    await kill('CONNECTION');
    if (await settlesWithin(call.whenFinished, cancelGraceMs)) return;
    call.conn.destroy();
  }

  async test(signal?: AbortSignal): Promise<ServerInfo> {
    const call = await this.begin(signal, this.options.limits.statementTimeoutMs);
    try {
      const [rows] = await call.conn.query('SELECT VERSION() AS v, DATABASE() AS d');
      const row = (rows as { v?: unknown; d?: unknown }[])[0];
      this.end(call, true);
      return { dialect: 'mysql', version: typeof row?.v === 'string' ? row.v : this.version, database: typeof row?.d === 'string' ? row.d : '' };
    } catch (err) {
      this.end(call, false);
      throw this.failure(err, call);
    }
  }

  private failure(err: unknown, call: Call): Error {
    if (call.stopped) return new ExplainCancelledError(call.stopped, `the call was ${call.stopped === 'timeout' ? 'stopped by the timeout' : 'cancelled'}`);
    const e = asMysqlError(err);
    if (e.fatal) return new SessionEndedError(this.target, errorMessage(err, this.secrets), serverAbortedEnd.note);
    return new StatementError(errorMessage(err, this.secrets), e.code);
  }

  /** Maps a server error of the explained statement; the transaction's end is added by explainFailure. */
  private statementError(err: unknown, safe: SafeExplain): Error {
    const e = asMysqlError(err);
    const message = errorMessage(err, this.secrets);
    if (e.errno !== undefined && timeoutErrnos.has(e.errno)) return new ExplainCancelledError('timeout', message);
    if (e.errno === interruptedErrno) return new ExplainCancelledError('cancelled', message);
    if (e.errno === readOnlyErrno) {
      return new StatementError(`${message} (the statement tried to write although it was classified as a read; nothing was changed)`, e.code);
    }
    void safe;
    return new StatementError(message, e.code);
  }

  /** The EXPLAIN text each server gets: MariaDB's ANALYZE FORMAT=JSON, MySQL's EXPLAIN ANALYZE (tree). */
  explainSql(safe: SafeExplain): string {
    const statement = safe.classification.statement;
    if (!safe.analyze) return `EXPLAIN FORMAT=JSON ${statement}`;
    return this.flavorKnown === 'mariadb' ? `ANALYZE FORMAT=JSON ${statement}` : `EXPLAIN ANALYZE ${statement}`;
  }

  /** Stored functions the statement calls: their effects are unknown, so under ANALYZE they need consent like a write. */
  private async storedFunctionReasons(conn: Connection, names: readonly string[]): Promise<string[]> {
    if (!names.length) return [];
    const [rows] = await conn.query(
      "SELECT ROUTINE_SCHEMA AS s, ROUTINE_NAME AS n, SQL_DATA_ACCESS AS a FROM information_schema.ROUTINES WHERE ROUTINE_TYPE = 'FUNCTION' AND LOWER(ROUTINE_NAME) IN (?)",
      [[...names]],
    );
    return (rows as { s: string; n: string; a: string }[]).map((r) => `${r.s}.${r.n}() is a stored function (${r.a}) whose effects are unknown; a rollback does not undo what it does outside the transaction`);
  }

  /**
   * Tables on engines without transactions (MyISAM, Aria, MEMORY…) and views, among every name the statement mentions:
   * a ROLLBACK cannot undo a write to them (a view may write to one), so an executed write touching them is refused.
   * Every word and quoted identifier counts as a possible name, so this can refuse too much but never too little.
   */
  private async nonTransactionalTargets(conn: Connection, statement: string): Promise<string[]> {
    const names = new Set<string>();
    for (const t of tokenize(statement, 'mysql')) {
      if (t.kind === 'word') names.add(statement.slice(t.start, t.end).toLowerCase());
      else if (t.kind === 'quotedIdent') names.add(statement.slice(t.start + 1, t.end - 1).replace(/``/g, '`').toLowerCase());
    }
    if (!names.size) return [];
    const [rows] = await conn.query(
      `SELECT t.TABLE_SCHEMA AS s, t.TABLE_NAME AS n, COALESCE(t.ENGINE, 'VIEW') AS e
         FROM information_schema.TABLES t LEFT JOIN information_schema.ENGINES g ON g.ENGINE = t.ENGINE
        WHERE LOWER(t.TABLE_NAME) IN (?) AND (t.TABLE_TYPE = 'VIEW' OR COALESCE(g.TRANSACTIONS, 'NO') <> 'YES')
          AND t.TABLE_SCHEMA NOT IN ('information_schema', 'performance_schema', 'mysql', 'sys')`,
      [[...names]],
    );
    return (rows as { s: string; n: string; e: string }[]).map((r) => `${r.s}.${r.n} (${r.e})`);
  }

  async explain(sql: string, options: ExplainOptions): Promise<ExplainResult> {
    const safe = planSafeExplain(sql, 'mysql', options);
    const c = safe.classification;
    if (c.hasParameters) throw new RefusedStatementError('the statement has ? parameters; MySQL and MariaDB cannot plan it without values, so replace them with literals');
    const limitMs = options.timeoutMs ?? this.config.statementTimeoutMs ?? this.options.limits.statementTimeoutMs;
    const call = await this.begin(options.signal, limitMs);
    let end: TransactionEnd = rolledBackEnd;
    let plan: unknown;
    let error: Error | undefined;
    let inTransaction = false;
    try {
      if (safe.analyze && !safe.consented) {
        const reasons = await this.storedFunctionReasons(call.conn, c.calledFunctions);
        if (reasons.length) {
          this.end(call, true);
          throw new ConsentRequiredError(c.kind, reasons, c.analyzeWarnings);
        }
      }
      if (safe.analyze && c.effect !== 'read') {
        const targets = await this.nonTransactionalTargets(call.conn, c.statement);
        if (targets.length) {
          this.end(call, true);
          throw new RefusedStatementError(
            `ANALYZE would execute this ${c.kind.toUpperCase()}, and it names ${targets.join(', ')}: a table without transactions or a view, whose changes a ROLLBACK cannot undo; only a plain EXPLAIN is possible`,
          );
        }
      }
      await this.applyLimits(call.conn, limitMs);
      // MariaDB refuses even a plain EXPLAIN of a write inside a READ ONLY transaction, so that one runs READ WRITE:
      // EXPLAIN does not execute it, and the ROLLBACK below ends the transaction whatever happened.
      const readOnly = safe.readOnly && (safe.analyze || c.effect === 'read');
      await call.conn.query(readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION READ WRITE');
      inTransaction = true;
      try {
        const [rows] = await call.conn.query(this.explainSql(safe));
        const cell = firstCell(rows);
        if (cell === undefined) throw new StatementError('the server returned no plan');
        plan = this.flavorKnown === 'mysql' && safe.analyze ? cell : (JSON.parse(cell) as unknown);
      } catch (err) {
        error = this.statementError(err, safe);
      }
    } catch (err) {
      if (err instanceof ConsentRequiredError || err instanceof RefusedStatementError) throw err;
      error = this.failure(err, call);
    }
    // After ANALYZE the session may hold what the statement left (named locks, user variables, temporary tables):
    // COM_RESET_CONNECTION clears all of it, as DISCARD ALL does on PostgreSQL; if that fails the session is closed.
    let reusable = true;
    if (inTransaction) {
      try {
        await call.conn.query('ROLLBACK');
      } catch {
        end = serverAbortedEnd;
        reusable = false;
      }
    }
    if (reusable && safe.analyze && !call.stopped) {
      try {
        await call.conn.reset();
        // The reset also put the session's variables back to the server's defaults.
        this.applied.delete(call.conn);
      } catch {
        reusable = false;
      }
    }
    this.end(call, reusable && !error);
    if (error) {
      throw explainFailure(error, end, call.stopped, (cause) => new SessionEndedError(this.target, errorMessage(cause, this.secrets), end.note));
    }
    return {
      dialect: 'mysql',
      analyzed: safe.analyze,
      rolledBack: end.rolledBack,
      planFormat: typeof plan === 'string' ? 'mysql-tree' : 'mysql-json',
      plan,
      warnings: warningsAfter(safe.warnings, end),
      statement: c.statement,
    };
  }

  async introspect(options: { schema?: string; signal?: AbortSignal }): Promise<Catalog> {
    const call = await this.begin(options.signal, this.options.limits.statementTimeoutMs);
    try {
      const catalog = await introspectMysql((sql, params) => call.conn.query(sql, params).then(([rows]) => rows as Record<string, unknown>[]), {
        ...(options.schema !== undefined ? { schema: options.schema } : {}),
      });
      this.end(call, true);
      return catalog;
    } catch (err) {
      this.end(call, false);
      throw this.failure(err, call);
    }
  }

  /** One table described, on a session with the same limits as every other call, in a READ ONLY transaction rolled back. */
  async describeTable(table: string, options: DescribeOptions = {}): Promise<TableDescription> {
    const limitMs = this.options.limits.statementTimeoutMs;
    const call = await this.begin(options.signal, limitMs);
    let reusable = true;
    try {
      await this.applyLimits(call.conn, limitMs);
      await call.conn.query('START TRANSACTION READ ONLY');
      try {
        return await describeMysql((sql, params) => call.conn.query(sql, params).then(([rows]) => rows as Record<string, unknown>[]), table, { flavor: this.flavorKnown });
      } finally {
        try {
          await call.conn.query('ROLLBACK');
        } catch {
          reusable = false;
        }
      }
    } catch (err) {
      // Our own StatementError (no such table) leaves a clean session; anything else from the server does not.
      if (err instanceof StatementError && !call.stopped) throw err;
      reusable = false;
      throw this.failure(err, call);
    } finally {
      this.end(call, reusable);
    }
  }

  async compare(original: string, rewrite: string, options: CompareOptions): Promise<CompareFacts> {
    const limitMs = options.timeoutMs ?? this.options.limits.statementTimeoutMs;
    const call = await this.begin(options.signal, limitMs);
    let clean = true;
    try {
      await this.applyLimits(call.conn, limitMs);
      return await compareOnMysql(
        {
          query: async (sql) => (await call.conn.query({ sql, rowsAsArray: true }))[0] as unknown[][],
          control: async (sql) => {
            await call.conn.query(sql);
          },
        },
        original,
        rewrite,
      );
    } catch (err) {
      clean = false;
      if (err instanceof RefusedStatementError || err instanceof StatementError) throw err;
      throw this.failure(err, call);
    } finally {
      this.end(call, clean);
    }
  }

  async cancel(): Promise<void> {
    for (const call of [...this.calls]) this.stop(call, 'cancelled');
    await Promise.all([...this.calls].map((c) => settlesWithin(c.whenFinished, cancelGraceMs * 3)));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.cancel();
    for (const conn of this.idle.splice(0)) conn.destroy();
  }
}
