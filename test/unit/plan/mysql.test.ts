import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { preorder } from '../../../src/core/plan/model';
import { parsePlan } from '../../../src/core/plan/parse';
import { formatFindings } from '../../../src/core/findingsFormat';

/** The parts of MariaDB's ANALYZE FORMAT=JSON the tests read back. */
interface RawTable {
  rows: number;
  r_rows: number;
  r_filtered: number;
  r_loops: number;
  r_table_time_ms: number;
  r_other_time_ms: number;
  materialized: { query_block: RawBlock };
}
interface RawBlock {
  r_total_time_ms: number;
  nested_loop: { table: RawTable }[];
  subqueries: { expression_cache: { query_block: RawBlock } }[];
}
interface RawPlan {
  query_optimization: { r_total_time_ms: number };
  query_block: RawBlock;
}

const dir = join(__dirname, '../../fixtures/plans/mysql');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const plan = (name: string) => parsePlan(read(name), { dialect: 'mysql' });
const raw = (name: string) => JSON.parse(read(name)) as RawPlan;
const rules = (name: string) => analyzePlan(plan(name)).map((f) => f.rule);

describe('MySQL/MariaDB plans: every fixture reads', () => {
  const files = readdirSync(dir).filter((f) => /\.(json|txt)$/.test(f) && !f.includes('manifest'));
  it.each(files)('%s', (file) => {
    const p = plan(file);
    expect(p.dialect).toBe('mysql');
    expect(p.nodeCount).toBeGreaterThan(1);
    for (const n of preorder(p.root)) {
      expect(n.id).toMatch(/^#\d+$/);
      if (n.exclusiveMs !== undefined) expect(n.exclusiveMs).toBeGreaterThanOrEqual(0);
      if (n.exclusiveCost !== undefined) expect(n.exclusiveCost).toBeGreaterThanOrEqual(0);
    }
    expect(p.analyzed).toBe(file.includes('.analyze.') || file.includes('-analyze-'));
  });
});

describe('MariaDB ANALYZE FORMAT=JSON', () => {
  // The captures are re-made live (scripts/captureMysqlPlans.mjs), so expectations come from the raw JSON itself.
  it('reads r_rows, r_filtered and r_loops as actual rows per loop and times as exclusive time', () => {
    const doc = raw('mariadb-dependentSubquery.analyze.json');
    const t = doc.query_block.subqueries[0]!.expression_cache.query_block.nested_loop[0]!.table;
    const p = plan('mariadb-dependentSubquery.analyze.json');
    const inner = preorder(p.root).find((n) => n.relation === 'o')!;
    expect(inner.loops).toBe(t.r_loops);
    expect(inner.rowsExamined).toBe(t.rows);
    expect(inner.actualRows).toBeCloseTo((t.r_rows * t.r_filtered) / 100, 6);
    expect(inner.rowsRemovedByFilter).toBeCloseTo(t.r_rows - (t.r_rows * t.r_filtered) / 100, 6);
    // r_table_time_ms + r_other_time_ms are totals over all loops.
    expect(inner.inclusiveMs).toBeCloseTo(t.r_table_time_ms + t.r_other_time_ms, 6);
    expect(p.executionMs).toBeCloseTo(doc.query_block.r_total_time_ms, 6);
    expect(p.planningMs).toBeCloseTo(doc.query_optimization.r_total_time_ms, 6);
  });

  it('gives steps without their own time (materialization) their children’s; a table adds what was materialized for it', () => {
    const d = raw('mariadb-derived.analyze.json').query_block.nested_loop[0]!.table;
    const p = plan('mariadb-derived.analyze.json');
    const materialize = preorder(p.root).find((n) => n.nodeType === 'Materialize')!;
    expect(materialize.inclusiveMs).toBeCloseTo(d.materialized.query_block.r_total_time_ms, 6);
    const derived = preorder(p.root).find((n) => n.relation === '<derived2>')!;
    expect(derived.exclusiveMs).toBeCloseTo(d.r_table_time_ms + d.r_other_time_ms, 6);
    expect(derived.loops).toBe(d.r_loops);
  });

  it('finds the rules each capture was made for', () => {
    expect(rules('mariadb-fullScan.analyze.json')).toContain('mysql-full-scan');
    expect(rules('mariadb-fullScan.analyze.json')).toContain('row-misestimate');
    expect(rules('mariadb-filesort.analyze.json')).toContain('mysql-filesort');
    expect(rules('mariadb-temporary.analyze.json')).toContain('mysql-temporary-table');
    expect(rules('mariadb-joinBuffer.analyze.json')).toContain('mysql-join-buffer');
    expect(rules('mariadb-joinBuffer.explain.json')).toContain('mysql-join-buffer');
    expect(rules('mariadb-dependentSubquery.analyze.json')).toContain('mysql-dependent-subquery');
    expect(rules('mariadb-dependentSubquery.explain.json')).toContain('mysql-dependent-subquery');
    expect(rules('mariadb-union.analyze.json')).not.toContain('mysql-full-scan');
    // An index merge union (an OR over two indexed columns) is the best the server can do: a note, not a warning.
    const merge = analyzePlan(plan('mariadb-indexMerge.analyze.json')).find((f) => f.rule === 'mysql-index-merge')!;
    expect(merge.severity).toBe('info');
    expect(merge.evidence['intersect']).toBe(false);
  });

  it('formats findings through the one formatter', () => {
    const p = plan('mariadb-fullScan.analyze.json');
    const text = formatFindings(analyzePlan(p), 'terminal');
    expect(text).toMatch(/\[F1\]/);
    expect(text).toMatch(/mysql-full-scan|row-misestimate/);
  });
});

describe('MySQL 8 (published output)', () => {
  it('reads FORMAT=JSON with end markers, derived tables and a join buffer', () => {
    const p = plan('mysql8-json-derived-bnl.json');
    expect(p.nodeCount).toBe(16);
    const a1 = preorder(p.root).find((n) => n.relation === 'a1')!;
    expect(a1.detail).toContain('Using join buffer (Block Nested Loop)');
  });

  it('marks dependent subqueries', () => {
    expect(rules('mysql8-json-dependent-subquery.json')).toContain('mysql-dependent-subquery');
    expect(rules('mysql8-tree-dependent-subquery.txt')).toContain('mysql-dependent-subquery');
    expect(rules('mysql8-tree-distinct-temporary.txt')).toContain('mysql-temporary-table');
  });

  it('reads EXPLAIN ANALYZE tree text: per-loop actual time including children, as PostgreSQL', () => {
    const p = plan('mysql8-analyze-binary-cast.txt');
    expect(p.format).toBe('tree');
    const scan = preorder(p.root).find((n) => n.nodeType === 'Table scan')!;
    expect(scan.relation).toBe('roll');
    expect(scan.actualRows).toBe(600367);
    expect(scan.inclusiveMs).toBeCloseTo(230.675, 3);
    const filter = preorder(p.root).find((n) => n.nodeType === 'Filter')!;
    expect(filter.exclusiveMs).toBeCloseTo(288.064 - 230.675, 3);
    const found = analyzePlan(p);
    const full = found.find((f) => f.rule === 'mysql-full-scan')!;
    expect(full.node).toBe(scan.id);
    expect(full.severity).toBe('critical');
  });

  it('reads the tree inside the mysql client’s \\G and table frames', () => {
    const tree = read('mysql8-analyze-binary-cast.txt').trimEnd().split('\n');
    const framed = ['+------+', '| EXPLAIN |', '+------+', ...tree.map((l, i) => (i === 0 ? `| ${l}` : l)), '+------+'].join('\n');
    expect(parsePlan(framed, { dialect: 'mysql' }).nodeCount).toBe(6);
    expect(parsePlan(`*************************** 1. row ***************************\nEXPLAIN: ${tree.join('\n')}`, { dialect: 'mysql' }).nodeCount).toBe(6);
  });

  it('refuses a MySQL plan read as another dialect', () => {
    expect(() => parsePlan(read('mysql8-json-union.json'), { dialect: 'postgres' })).toThrow(/MySQL\/MariaDB/);
  });
});
