// DuckDB rules: what its profiler shows about reading Parquet and CSV files and about memory. Operator times are CPU
// time summed over threads; shares are taken of their sum (the root's inclusive time), so they stay comparable.
import type { Finding } from '../../findings';
import type { PlanNode } from '../model';
import type { PlanRule, RuleContext } from './context';
import { fmt, nodeName, nodeScore, pct, r, severityOf, timeScore } from './context';

/** A Parquet scan that reads this many columns or more is wide enough for SELECT * to matter. */
export const DUCKDB_WIDE_COLUMNS = 30;
/** A FILTER above a file scan matters when it discards at least this share of the rows the reader returned. */
export const DUCKDB_FILTER_DISCARD_SHARE = 0.5;
/** Selecting fewer columns saves about the share of columns left out; credit half of the scan's time, conservatively. */
export const DUCKDB_PROJECTION_WEIGHT = 0.5;

const fileScan = /PARQUET|READ_CSV|READ_JSON|CSV_SCAN/;

/** The file-reading table function of a scan node (`PARQUET_SCAN`, `READ_CSV_AUTO`…), if it is one. */
export function fileScanFunction(node: PlanNode): string | undefined {
  const f = node.functionName ?? node.nodeType;
  return fileScan.test(f) ? f : undefined;
}

const isCsv = (node: PlanNode): boolean => /CSV/.test(fileScanFunction(node) ?? '');
const isParquet = (node: PlanNode): boolean => /PARQUET/.test(fileScanFunction(node) ?? '');

/** The file scan right below a FILTER, looking through projections DuckDB inserts in between. */
function scanBelow(node: PlanNode): PlanNode | undefined {
  let n: PlanNode | undefined = node.children.length === 1 ? node.children[0] : undefined;
  while (n && n.nodeType === 'PROJECTION' && n.children.length === 1) n = n.children[0];
  return n && fileScanFunction(n) ? n : undefined;
}

const where = (node: PlanNode): string => (node.relation ? ` on ${node.relation}` : '');

export const duckdbNoFilterPushdown: PlanRule = {
  id: 'duckdb-no-filter-pushdown',
  dialect: 'duckdb',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (node.nodeType !== 'FILTER') continue;
      const scan = scanBelow(node);
      if (!scan) continue;
      const read = ctx.plan.analyzed ? scan.actualRows : scan.planRows;
      const kept = ctx.plan.analyzed ? node.actualRows : node.planRows;
      const discarded = read !== undefined && kept !== undefined && read > 0 ? Math.max(0, 1 - kept / read) : undefined;
      if (ctx.plan.analyzed && (discarded === undefined || discarded < DUCKDB_FILTER_DISCARD_SHARE)) continue;
      const score = ctx.plan.analyzed ? nodeScore(ctx, scan, discarded) + nodeScore(ctx, node) : 0;
      out.push({
        rule: 'duckdb-no-filter-pushdown',
        severity: ctx.plan.analyzed ? severityOf(score, 'critical') : 'info',
        score,
        node: node.id,
        message:
          `${nodeName(node)} filters after ${fileScanFunction(scan)}${where(scan)} has read and decoded every row` +
          (discarded !== undefined && read !== undefined ? ` (it discards ${pct(discarded)} of ${fmt(read)} rows)` : '') +
          `: the condition ${node.filter ? `${node.filter} ` : ''}was not pushed into the reader. Compare plain columns with constants ` +
          '(`customer_id = 7`, not `customer_id + 0 = 7`; a range on the column, not a function of it) and split an OR across ' +
          'columns into UNION ALL, so the reader can skip row groups by their min/max statistics.',
        evidence: { scanNode: scan.id, function: fileScanFunction(scan) ?? null, rowsRead: read ?? null, rowsKept: kept ?? null, discardedShare: r(discarded, 4) },
      });
    }
    return out;
  },
};

export const duckdbNoProjectionPushdown: PlanRule = {
  id: 'duckdb-no-projection-pushdown',
  dialect: 'duckdb',
  check(ctx) {
    const out: Finding[] = [];
    for (const node of ctx.nodes) {
      if (!isParquet(node) || !node.output || node.output.length < DUCKDB_WIDE_COLUMNS) continue;
      const score = nodeScore(ctx, node, DUCKDB_PROJECTION_WEIGHT);
      out.push({
        rule: 'duckdb-no-projection-pushdown',
        severity: severityOf(score, 'warning'),
        score,
        node: node.id,
        message:
          `${nodeName(node)} reads ${node.output.length} columns${where(node)}. Parquet stores each column apart, so a column the ` +
          'query does not need is not read at all when it is left out: name the columns instead of SELECT * (or use SELECT * EXCLUDE (…)).',
        evidence: { columns: node.output.length, file: node.relation ?? null },
      });
    }
    return out;
  },
};

export const duckdbCsvScan: PlanRule = {
  id: 'duckdb-csv-scan',
  dialect: 'duckdb',
  check(ctx) {
    const byFile = new Map<string, PlanNode[]>();
    for (const node of ctx.nodes) {
      if (!isCsv(node)) continue;
      const key = node.relation ?? '(unnamed CSV)';
      byFile.set(key, [...(byFile.get(key) ?? []), node]);
    }
    const out: Finding[] = [];
    for (const [file, scans] of byFile) {
      if (scans.length < 2) continue;
      // Every scan after the first parses the same text again: that is what converting it once would save.
      const again = scans.slice(1).reduce((sum, s) => sum + (s.exclusiveMs ?? 0), 0);
      const score = ctx.plan.analyzed ? timeScore(ctx, again) : 0;
      out.push({
        rule: 'duckdb-csv-scan',
        severity: ctx.plan.analyzed ? severityOf(score, 'warning') : 'info',
        score,
        node: scans[1]!.id,
        message:
          `The CSV file ${file} is parsed ${scans.length} times in this query (${scans.map((s) => s.id).join(', ')}). CSV is read as text, ` +
          `row by row, every time: convert it once (COPY (FROM '${file}') TO 'file.parquet', or CREATE TABLE … AS) and query that instead.`,
        evidence: { file, scans: scans.length, repeatedScanMs: r(again) },
      });
    }
    return out;
  },
};

/** Operators that hold their input in memory and spill it when it does not fit. */
const spilling = /ORDER_BY|SORT|HASH_GROUP_BY|HASH_JOIN|WINDOW|TOP_N|DISTINCT/;

function spiller(ctx: RuleContext): PlanNode {
  let best: PlanNode | undefined;
  for (const n of ctx.nodes) if (spilling.test(n.nodeType) && (!best || (n.exclusiveMs ?? 0) > (best.exclusiveMs ?? 0))) best = n;
  return best ?? ctx.plan.root;
}

export const duckdbSpill: PlanRule = {
  id: 'duckdb-spill',
  dialect: 'duckdb',
  check(ctx) {
    const bytes = ctx.plan.spillBytes;
    if (!bytes) return [];
    const node = spiller(ctx);
    const score = Math.max(nodeScore(ctx, node), 0.5);
    const mb = bytes / 1024 / 1024;
    return [
      {
        rule: 'duckdb-spill',
        severity: severityOf(score, 'critical') === 'info' ? 'warning' : severityOf(score, 'critical'),
        score,
        node: node.id,
        message:
          `The query wrote ${r(mb, 1)} MB to DuckDB's temporary directory: ${nodeName(node)} did not fit under memory_limit and spilled to disk. ` +
          'Carry fewer or narrower columns through it, aggregate before sorting or joining, or raise memory_limit for this query.',
        evidence: { spillBytes: bytes, operator: node.nodeType },
      },
    ];
  },
};
