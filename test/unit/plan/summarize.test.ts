import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/core/plan/summarize';
import { fixtureFiles, load } from './fixtures';

describe('summarize', () => {
  it('shows the tree with rows, loops, exclusive time and buffers, then the findings with evidence', () => {
    const { plan, findings } = load('postgres/nested-loop-inner-scan.analyze-buffers.json');
    const text = summarize(plan, findings, { budgetTokens: 2000 });
    expect(text).toMatch(/^PostgreSQL EXPLAIN ANALYZE, 3 nodes; planning [\d.]+ ms; execution [\d.]+ ms/);
    expect(text).toMatch(/#3 Seq Scan on customers c {2}rows 20,000→5,568 ×300 loops {2}self [\d.]+ ms \(\d+%\) {2}buffers hit 10,790/);
    expect(text).toMatch(/Join Filter: \(\(t\.customer_ref = c\.id\)/);
    // The same [F1] ids and wording as the <findings> section (one formatter), with the evidence numbers.
    expect(text).toMatch(/\[F1\] critical join-filter at #1 \(score [\d.]+\): .*\(rowsRemovedByJoinFilter=1670250/);
  });

  it('labels estimate-only plans as such and shows cost shares instead of time', () => {
    const { plan, findings } = load('postgres/seq-scan-filter.plain.txt');
    const text = summarize(plan, findings, { budgetTokens: 2000 });
    expect(text).toMatch(/^PostgreSQL EXPLAIN \(estimates only\)/);
    expect(text).toMatch(/self cost 8,881 \(90%\)/);
  });

  it('redacts literals in conditions and in findings that quote them, keeping identifiers', () => {
    const { plan, findings } = load('postgres/seq-scan-filter.analyze-buffers.json');
    const plain = summarize(plan, findings, { budgetTokens: 4000 });
    expect(plain).toContain("'note 123 ");
    for (const options of [{ redactLiterals: true }, { redact: true }]) {
      const red = summarize(plan, findings, { budgetTokens: 4000, ...options });
      expect(red).not.toContain('note 123');
      expect(red).toMatch(/Filter: \(note = \$1::text\)/);
      expect(red).toContain('Seq Scan on orders');
    }
    const ms = load('postgres/row-misestimate.analyze-buffers.txt');
    const red = summarize(ms.plan, ms.findings, { budgetTokens: 4000, redactLiterals: true });
    expect(red).not.toMatch(/city7|zip7/);
  });

  const budgets = [5, 20, 60, 150, 400, 1000];
  const files = [...fixtureFiles('postgres'), ...fixtureFiles('sqlite')];
  it.each(files)('%s: never exceeds the budget, and says more with more budget', (file) => {
    const { plan, findings } = load(file);
    let previous = -1;
    for (const budgetTokens of budgets) {
      const text = summarize(plan, findings, { budgetTokens });
      expect(text.length).toBeLessThanOrEqual(budgetTokens * 4);
      expect(text.length).toBeGreaterThanOrEqual(previous);
      previous = text.length;
    }
  });

  it('drops detail progressively: a tight budget keeps the header and the top finding', () => {
    const { plan, findings } = load('postgres/cte-initplan-subplan.analyze-buffers.json');
    const roomy = summarize(plan, findings, { budgetTokens: 3000 });
    const tight = summarize(plan, findings, { budgetTokens: 120 });
    expect(roomy).toContain('Hash Cond:');
    expect(roomy).toContain('[SubPlan 2]');
    expect(tight.length).toBeLessThanOrEqual(480);
    expect(tight).toMatch(/^PostgreSQL EXPLAIN ANALYZE/);
    expect(tight).toContain('hash-spill');
  });

  it('summarizes SQLite plans as their tree and findings', () => {
    const { plan, findings } = load('sqlite/correlated-subquery.tree.txt');
    const text = summarize(plan, findings, { budgetTokens: 1000 });
    expect(text).toContain('SQLite EXPLAIN QUERY PLAN, 3 nodes');
    expect(text).toMatch(/\n#2 CORRELATED SCALAR SUBQUERY 1\n {2}#3 SCAN b\n/);
    expect(text).toContain('sqlite-correlated-subquery at #2');
  });
});
