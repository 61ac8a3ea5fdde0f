// Result equivalence on MySQL/MariaDB: both reads run inside one START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY
// (InnoDB: one snapshot for both), then ROLLBACK. The multisets are compared here, row by row with their counts, since
// the servers' EXCEPT ALL (MariaDB 10.5+, MySQL 8.0.31+) is missing on older versions; results above
// MAX_COMPARED_ROWS per side are refused rather than held in memory.
import { MAX_ORDERED_ROWS, MAX_SAMPLE_ROWS, prepareComparison, type BagCounts, type Cell, type CompareFacts } from '../../core/proof/compare';
import { RefusedStatementError } from '../errors';

/** Rows per side compared in memory; a larger result is refused with a message saying so. */
export const MAX_COMPARED_ROWS = 200_000;

/** MySQL/MariaDB functions whose value differs between the two runs (or between rows), so results cannot be compared. */
const volatileBuiltins = new Set([
  'rand', 'uuid', 'uuid_short', 'sys_guid', 'now', 'sysdate', 'current_timestamp', 'localtime', 'localtimestamp', 'curtime',
  'current_time', 'unix_timestamp', 'utc_timestamp', 'utc_time', 'last_insert_id', 'found_rows', 'row_count', 'connection_id',
  'nextval', 'lastval', 'setval', 'random_bytes',
]);

export interface MysqlCompareSession {
  /** Rows as arrays of the statement's result. */
  query(sql: string): Promise<unknown[][]>;
  /** Our own fixed control statements. */
  control(sql: string): Promise<void>;
}

function cell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return v.toString();
  return JSON.stringify(v);
}

export async function compareOnMysql(session: MysqlCompareSession, original: string, rewrite: string): Promise<CompareFacts> {
  const prepared = prepareComparison(original, rewrite, 'mysql');
  if ('refusal' in prepared) throw new RefusedStatementError(prepared.refusal);
  const facts: CompareFacts = {
    dialect: 'mysql',
    prepared,
    volatileFunctions: [],
    columns: { original: [], rewrite: [] },
    counts: null,
    comparedAsText: true,
    roundedCounts: null,
    samples: { onlyInOriginal: [], onlyInRewrite: [] },
    ordered: null,
  };
  const called = [...new Set([...prepared.original.calledFunctions, ...prepared.rewrite.calledFunctions])];
  facts.volatileFunctions = called.filter((n) => volatileBuiltins.has(n)).map((n) => `${n.toUpperCase()}() returns a different value on each run`);
  if (prepared.volatility.length || facts.volatileFunctions.length) return facts;
  await session.control('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  try {
    const run = async (sql: string, label: string): Promise<Cell[][]> => {
      const rows = await session.query(sql);
      if (rows.length > MAX_COMPARED_ROWS) throw new RefusedStatementError(`the ${label} returns more than ${MAX_COMPARED_ROWS.toLocaleString('en-US')} rows, which are not compared in memory; narrow both statements the same way`);
      return rows.map((r) => r.map(cell));
    };
    const o = await run(prepared.original.statement, 'original');
    const r = await run(prepared.rewrite.statement, 'rewrite');
    const width = (rows: Cell[][]): number => rows[0]?.length ?? 0;
    facts.columns = {
      original: Array.from({ length: width(o) }, (_, i) => ({ name: `column ${i + 1}`, type: null })),
      rewrite: Array.from({ length: width(r) }, (_, i) => ({ name: `column ${i + 1}`, type: null })),
    };
    if (!o.length || !r.length || width(o) === width(r)) {
      const bag = new Map<string, { count: number; row: Cell[] }>();
      for (const row of o) {
        const key = JSON.stringify(row);
        const e = bag.get(key);
        if (e) e.count++;
        else bag.set(key, { count: 1, row });
      }
      const onlyInRewrite: Cell[][] = [];
      let rewriteOnly = 0;
      for (const row of r) {
        const e = bag.get(JSON.stringify(row));
        if (e && e.count > 0) e.count--;
        else {
          rewriteOnly++;
          if (onlyInRewrite.length < MAX_SAMPLE_ROWS) onlyInRewrite.push(row);
        }
      }
      const onlyInOriginal: Cell[][] = [];
      let originalOnly = 0;
      for (const e of bag.values()) {
        originalOnly += e.count;
        for (let i = 0; i < e.count && onlyInOriginal.length < MAX_SAMPLE_ROWS; i++) onlyInOriginal.push(e.row);
      }
      const counts: BagCounts = { original: o.length, rewrite: r.length, onlyInOriginal: originalOnly, onlyInRewrite: rewriteOnly };
      facts.counts = counts;
      facts.samples = { onlyInOriginal, onlyInRewrite };
      if (prepared.original.clauses.orderBy) {
        facts.ordered = { original: o.slice(0, MAX_ORDERED_ROWS), rewrite: r.slice(0, MAX_ORDERED_ROWS), truncated: o.length > MAX_ORDERED_ROWS || r.length > MAX_ORDERED_ROWS };
      }
    }
    return facts;
  } finally {
    await session.control('ROLLBACK');
  }
}
