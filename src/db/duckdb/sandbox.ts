// DuckDB opened as a sandbox: a database file in access_mode READ_ONLY (or an in-memory database for querying files),
// extensions neither installed nor loaded automatically, file access limited to the workspace folders
// (`allowed_directories` with `enable_external_access = false`), and then `lock_configuration = true`, so no statement
// can widen any of it. Every statement is prepared alone first and must be a SELECT (DuckDB's own statement type),
// on top of the classification every caller has already passed. Runs inside the worker thread only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Catalog } from '../../core/schema/catalog';
import { bagCountSql, MAX_ORDERED_ROWS, orderedRowsSql, prepareComparison, sampleSql, volatileFunctionReason, type BagCounts, type Cell, type CompareFacts } from '../../core/proof/compare';
import { resolveDuckdbPaths } from '../../core/sql/duckdbPaths';
import { RefusedStatementError } from '../errors';
import type { TableDescription } from '../../core/schema/tableDescription';
import { duckdbCatalog, duckdbCatalogQueries, type DuckdbCatalogRows } from './catalog';
import { describeDuckdb } from './describe';

export interface DuckdbSandbox {
  /** Absolute path of the database file, or undefined for an in-memory database. */
  file?: string;
  /** Absolute folders DuckDB may read (the workspace folders; the CLI's cwd and --allow-dir). */
  allowedDirs: string[];
  /** Relative paths in queries resolve against this folder. */
  baseDir: string;
  /** Let DuckDB load httpfs (if installed) and read over the network. Off by default. */
  allowNetwork: boolean;
  /** DuckDB's memory_limit (e.g. `'256MB'`), set before the configuration is locked; DuckDB's default otherwise. */
  memoryLimit?: string;
}


export interface DuckdbExplainRows {
  /** The JSON text DuckDB returned: `physical_plan` (EXPLAIN) or `analyzed_plan` (EXPLAIN ANALYZE). */
  json: string;
  key: string;
  /** The statement as run, after relative paths were made absolute. */
  statement: string;
  warnings: string[];
}

export interface SandboxedConnection {
  version: string;
  warnings: string[];
  explain(sql: string, analyze: boolean): Promise<DuckdbExplainRows>;
  readRows(sql: string): Promise<Record<string, unknown>[]>;
  introspect(): Promise<Catalog>;
  /** One table or view described; the name is only ever a bound parameter. */
  describeTable(table: string): Promise<TableDescription>;
  compare(original: string, rewrite: string): Promise<CompareFacts>;
  interrupt(): void;
  close(): void;
}

function withSlash(dir: string): string {
  return dir.endsWith(sep) || dir.endsWith('/') ? dir : dir + sep;
}

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export async function openSandboxed(box: DuckdbSandbox): Promise<SandboxedConnection> {
  const { DuckDBInstance, StatementType } = await import('@duckdb/node-api');
  // Spill files go to a folder of our own, never next to the user's database file.
  const tempDir = mkdtempSync(join(tmpdir(), 'dataeng-duckdb-'));
  const options: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: box.allowNetwork ? 'true' : 'false',
    temp_directory: tempDir,
  };
  if (box.file) options.access_mode = 'READ_ONLY';
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined;
  const warnings: string[] = [];
  try {
    instance = await DuckDBInstance.create(box.file ?? ':memory:', options);
    connection = await instance.connect();
    if (box.allowNetwork) {
      try {
        await connection.run('LOAD httpfs');
      } catch {
        warnings.push('network access is allowed, but the httpfs extension is not installed; install it with the duckdb CLI (INSTALL httpfs) to read http(s):// and s3:// paths');
      }
    }
    if (box.memoryLimit !== undefined) {
      if (!/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(box.memoryLimit)) throw new Error(`invalid memory limit "${box.memoryLimit}"`);
      await connection.run(`SET memory_limit = ${quote(box.memoryLimit)}`);
    }
    const dirs = box.allowedDirs.map((d) => quote(withSlash(d))).join(', ');
    await connection.run(`SET allowed_directories = [${dirs}]`);
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
  } catch (err) {
    connection?.closeSync();
    instance?.closeSync();
    rmSync(tempDir, { recursive: true, force: true });
    throw err;
  }
  const conn = connection;
  const inst = instance;
  const versionValue = (await conn.runAndReadAll('SELECT version() AS v')).getRowObjectsJson()[0]?.v;
  const version = typeof versionValue === 'string' ? versionValue : '';

  /** Prepares exactly one statement and checks DuckDB calls it a SELECT before anything runs; returns its column names. */
  const prepareRead = async (sql: string): Promise<string[]> => {
    const extracted = await conn.extractStatements(sql);
    if (extracted.count !== 1) throw new RefusedStatementError(`DuckDB reads ${extracted.count} statements in the text; exactly one can run`);
    const prepared = await extracted.prepare(0);
    if (prepared.statementType !== StatementType.SELECT) {
      throw new RefusedStatementError('DuckDB does not read this as a SELECT; only queries run on DuckDB connections');
    }
    return Array.from({ length: prepared.columnCount }, (_, i) => prepared.columnName(i));
  };

  const readArrays = async (sql: string): Promise<Cell[][]> => {
    await prepareRead(sql);
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowsJson().map((row) => row.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))));
  };
  const countsOf = (rows: Cell[][]): BagCounts => {
    const r = rows[0] ?? [];
    return { original: Number(r[0]), rewrite: Number(r[1]), onlyInOriginal: Number(r[2]), onlyInRewrite: Number(r[3]) };
  };

  const readRows = async (sql: string): Promise<Record<string, unknown>[]> => {
    const reader = await conn.runAndReadAll(sql);
    return reader.getRowObjectsJson();
  };

  // The profiler's system_peak_temp_dir_size is the instance's peak since it opened, not this query's. Queries run one
  // at a time in this worker, so a peak that rose during a query was reached by that query's spilling; one that did
  // not rise says nothing about it, and is reported as 0 rather than blamed on this query.
  let peakTempBytes = 0;
  const ownSpill = (json: string): string => {
    const profile = JSON.parse(json) as Record<string, unknown>;
    const peak = typeof profile.system_peak_temp_dir_size === 'number' ? profile.system_peak_temp_dir_size : 0;
    const rose = peak > peakTempBytes;
    peakTempBytes = Math.max(peakTempBytes, peak);
    if (rose || peak === 0) return json;
    profile.system_peak_temp_dir_size = 0;
    return JSON.stringify(profile);
  };

  return {
    version,
    warnings,
    async explain(sql, analyze) {
      const { sql: statement, rewritten } = resolveDuckdbPaths(sql, box.baseDir);
      await prepareRead(statement);
      const notes = rewritten.map((r) => `the relative path "${r.from}" was read as "${r.to}"`);
      const run = async (withAnalyze: boolean): Promise<string> => {
        const rows = await readRows(`EXPLAIN (${withAnalyze ? 'ANALYZE, ' : ''}FORMAT JSON) ${statement}`);
        const row = rows.find((r) => r.explain_key === (withAnalyze ? 'analyzed_plan' : 'physical_plan')) ?? rows[0];
        if (!row || typeof row.explain_value !== 'string') throw new Error('DuckDB returned no plan');
        return row.explain_value;
      };
      if (!analyze) return { json: await run(false), key: 'physical_plan', statement, warnings: [...warnings, ...notes] };
      const profiled = await run(true);
      // DuckDB 1.5 answers some statements without a profile, as `{"result": "error"}` (a count(*) over Parquet, after
      // an earlier query on the connection): the estimated plan is returned instead, and says why.
      if (/^\s*\{\s*"result"\s*:\s*"error"\s*\}\s*$/.test(profiled)) {
        const why = 'DuckDB ran the statement but its profiler returned no operators for it ({"result": "error"}); this is the estimated plan (EXPLAIN), without actual rows or timings';
        return { json: await run(false), key: 'physical_plan', statement, warnings: [...warnings, ...notes, why] };
      }
      return { json: ownSpill(profiled), key: 'analyzed_plan', statement, warnings: [...warnings, ...notes] };
    },
    async readRows(sql) {
      await prepareRead(sql);
      return readRows(sql);
    },
    async introspect() {
      const rows: DuckdbCatalogRows = { tables: [], columns: [], constraints: [], indexes: [] };
      for (const [key, query] of Object.entries(duckdbCatalogQueries) as [keyof DuckdbCatalogRows, string][]) rows[key] = await readRows(query);
      return duckdbCatalog(rows, box.file ?? ':memory:');
    },
    async describeTable(table) {
      // Fixed catalog queries; the name travels as a parameter value only.
      const withParams = async (sql: string, params: string[]): Promise<Record<string, unknown>[]> => (await conn.runAndReadAll(sql, params)).getRowObjectsJson();
      return describeDuckdb(withParams, table, box.file ? { file: box.file } : {});
    },
    async compare(original, rewrite) {
      // Relative paths resolve as they do for explain; the comparison SQL then holds both statements as written there.
      const prepared = prepareComparison(resolveDuckdbPaths(original, box.baseDir).sql, resolveDuckdbPaths(rewrite, box.baseDir).sql, 'duckdb');
      if ('refusal' in prepared) throw new RefusedStatementError(prepared.refusal);
      const facts: CompareFacts = {
        dialect: 'duckdb',
        prepared,
        volatileFunctions: [],
        columns: { original: [], rewrite: [] },
        counts: null,
        comparedAsText: false,
        roundedCounts: null,
        samples: { onlyInOriginal: [], onlyInRewrite: [] },
        ordered: null,
      };
      // DuckDB's catalog says which functions are VOLATILE (random(), uuid(), nextval()…): two runs of those differ.
      const called = [...new Set([...prepared.original.calledFunctions, ...prepared.rewrite.calledFunctions])];
      if (called.length) {
        const rows = await readRows(`SELECT DISTINCT function_name FROM duckdb_functions() WHERE stability = 'VOLATILE' AND function_name IN (${called.map(quote).join(', ')}) ORDER BY 1`);
        facts.volatileFunctions = rows.map((r) => volatileFunctionReason('pg_catalog', String(r.function_name as string)));
      }
      if (prepared.volatility.length || facts.volatileFunctions.length) return facts;
      const names = async (statement: string): Promise<{ name: string; type: null }[]> => (await prepareRead(statement)).map((name) => ({ name, type: null }));
      facts.columns = { original: await names(prepared.original.statement), rewrite: await names(prepared.rewrite.statement) };
      if (facts.columns.original.length !== facts.columns.rewrite.length) return facts;
      // One transaction: both statements read the same snapshot (the file is read-only; files on disk are what they are).
      await conn.run('BEGIN TRANSACTION');
      try {
        const options = { columns: facts.columns.original, materialized: true };
        facts.counts = countsOf(await readArrays(bagCountSql(prepared, 'duckdb', options)));
        if (facts.counts.onlyInOriginal || facts.counts.onlyInRewrite) {
          const rows = await readArrays(sampleSql(prepared, 'duckdb', options));
          facts.samples = {
            onlyInOriginal: rows.filter((r) => r[0] === 'o').map((r) => r.slice(1)),
            onlyInRewrite: rows.filter((r) => r[0] === 'r').map((r) => r.slice(1)),
          };
        }
        if (prepared.original.clauses.orderBy) {
          const fetch = async (statement: string): Promise<{ rows: Cell[][]; truncated: boolean }> => {
            const rows = await readArrays(orderedRowsSql(statement, facts.columns.original.length, 'duckdb'));
            const cap = rows.length > MAX_ORDERED_ROWS;
            return { rows: cap ? rows.slice(0, MAX_ORDERED_ROWS) : rows, truncated: cap };
          };
          const a = await fetch(prepared.original.statement);
          const b = await fetch(prepared.rewrite.statement);
          facts.ordered = { original: a.rows, rewrite: b.rows, truncated: a.truncated || b.truncated };
        }
      } finally {
        await conn.run('ROLLBACK');
      }
      return facts;
    },
    interrupt() {
      conn.interrupt();
    },
    close() {
      conn.closeSync();
      inst.closeSync();
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
