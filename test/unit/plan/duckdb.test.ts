// DuckDB plans captured live (scripts/capture-duckdb-plans.mjs; the DuckDB version is in cases.json): parsing into the
// one plan model, exclusive time, estimates against actual rows, and the DuckDB rules on the plans that show them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { nodesOf } from '../../../src/core/plan/derive';
import { parsePlan } from '../../../src/core/plan/parse';

const dir = join(__dirname, '../../fixtures/plans/duckdb');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
const cases = Object.keys((JSON.parse(read('cases.json')) as { cases: Record<string, unknown> }).cases);
const rulesOf = (name: string): string[] => analyzePlan(parsePlan(read(name), { dialect: 'duckdb' })).map((f) => f.rule);

describe('DuckDB plan corpus', () => {
  it('holds both forms of every case', () => {
    const files = readdirSync(dir);
    for (const c of cases) expect(files).toEqual(expect.arrayContaining([`${c}.explain.json`, `${c}.analyze.json`]));
  });

  for (const c of cases) {
    it(`parses ${c} (EXPLAIN and EXPLAIN ANALYZE)`, () => {
      const plain = parsePlan(read(`${c}.explain.json`));
      expect(plain.dialect).toBe('duckdb');
      expect(plain.analyzed).toBe(false);
      expect(plain.warnings).not.toContainEqual(expect.stringContaining('left out'));
      const analyzed = parsePlan(read(`${c}.analyze.json`), { dialect: 'duckdb' });
      expect(analyzed.analyzed).toBe(true);
      // The profiler's own EXPLAIN_ANALYZE operator is not part of the user's plan.
      expect(analyzed.root.nodeType).not.toBe('EXPLAIN_ANALYZE');
      const nodes = nodesOf(analyzed.root);
      for (const n of nodes) {
        expect(n.actualRows).toBeGreaterThanOrEqual(0);
        expect(n.exclusiveMs).toBeGreaterThanOrEqual(0);
        expect(n.inclusiveMs! + 1e-9).toBeGreaterThanOrEqual(n.exclusiveMs!);
      }
      // Both forms describe the same operators.
      expect(nodes.length).toBeGreaterThan(0);
    });
  }

  it('keeps exclusive time, estimates and actual rows of a join', () => {
    const plan = parsePlan(read('misestimate-join.analyze.json'));
    const scan = nodesOf(plan.root).find((n) => n.relation === 'orders')!;
    expect(scan.label).toBe('TABLE_SCAN on shop.main.orders');
    expect(scan.filter).toBe('price>1000.00');
    expect(scan.planRows).toBe(200000);
    expect(scan.actualRows).toBe(196588);
    const join = nodesOf(plan.root).find((n) => n.nodeType === 'HASH_JOIN')!;
    expect(join.joinType).toBe('INNER');
    expect(join.exclusiveMs).toBeCloseTo(join.inclusiveMs! - join.children.reduce((s, c) => s + c.inclusiveMs!, 0), 6);
    expect(plan.wallClockMs).toBeGreaterThan(0);
  });

  it('finds a filter that was not pushed into the Parquet reader, and not one that was', () => {
    expect(rulesOf('parquet-no-pushdown.analyze.json')).toContain('duckdb-no-filter-pushdown');
    expect(rulesOf('parquet-pushdown.analyze.json')).not.toContain('duckdb-no-filter-pushdown');
  });

  it('finds SELECT * over a wide Parquet file, not a narrow read', () => {
    expect(rulesOf('parquet-select-star-wide.analyze.json')).toContain('duckdb-no-projection-pushdown');
    expect(rulesOf('parquet-pushdown.analyze.json')).not.toContain('duckdb-no-projection-pushdown');
  });

  it('finds a CSV file parsed twice', () => {
    const findings = analyzePlan(parsePlan(read('csv-scanned-twice.analyze.json')));
    const csv = findings.find((f) => f.rule === 'duckdb-csv-scan')!;
    expect(csv.message).toContain('/data/orders.csv');
    expect(csv.evidence.scans).toBe(2);
    expect(rulesOf('parquet-pushdown.analyze.json')).not.toContain('duckdb-csv-scan');
  });

  it('finds a spill under memory_limit, and none without one', () => {
    const plan = parsePlan(read('sort-spill.analyze.json'));
    expect(plan.spillBytes).toBeGreaterThan(0);
    const spill = analyzePlan(plan).find((f) => f.rule === 'duckdb-spill')!;
    expect(spill.severity).not.toBe('info');
    expect(spill.message).toMatch(/ORDER_BY|SORT/);
    for (const c of cases.filter((x) => x !== 'sort-spill')) expect(rulesOf(`${c}.analyze.json`)).not.toContain('duckdb-spill');
  });

  it('reuses hotspot on every analyzed plan, and the PostgreSQL-only rules never fire', () => {
    for (const c of cases) {
      const rules = rulesOf(`${c}.analyze.json`);
      expect(rules).toContain('hotspot');
      for (const rule of rules) expect(rule === 'hotspot' || rule === 'row-misestimate' || rule.startsWith('duckdb-')).toBe(true);
    }
  });

  it('says a DuckDB plan is not a PostgreSQL plan when the dialect is given', () => {
    expect(() => parsePlan(read('join-aggregate.explain.json'), { dialect: 'postgres' })).toThrow(/DuckDB/);
  });
});

describe('DuckDB estimates', () => {
  it('reads an estimate of 0 as unknown, so it is never a misestimate', () => {
    const plan = parsePlan(read('sort-spill.analyze.json'));
    expect(nodesOf(plan.root).find((n) => n.nodeType === 'PROJECTION')!.planRows).toBeUndefined();
    expect(analyzePlan(plan).map((f) => f.rule)).not.toContain('row-misestimate');
  });
});
