import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { preorder } from '../../../src/core/plan/model';
import { parsePlan } from '../../../src/core/plan/parse';
import { summarize } from '../../../src/core/plan/summarize';
import { deepPlanJson, deepPlanText, partitionedPlanJson } from './generate';

describe('plans at scale', () => {
  it('parses, analyzes and summarizes a 10,000-deep JSON plan without overflowing the stack', () => {
    const plan = parsePlan(deepPlanJson(10_000));
    expect(plan.nodeCount).toBe(10_001);
    const nodes = preorder(plan.root);
    expect(nodes[nodes.length - 1]!.nodeType).toBe('Seq Scan');
    expect(nodes[nodes.length - 1]!.id).toBe('#10001');
    const findings = analyzePlan(plan);
    expect(findings.some((f) => f.rule === 'hotspot')).toBe(true);
    const text = summarize(plan, findings, { budgetTokens: 1000 });
    expect(text.length).toBeLessThanOrEqual(4000);
  });

  // Text indentation grows with depth, so a text plan's size is quadratic in its depth: 2,000 levels is already
  // 12 MB of text, and deeper than any real plan; the parser keeps an explicit stack, so depth costs no recursion.
  it('parses a 2,000-deep text plan from its indentation', () => {
    const plan = parsePlan(deepPlanText(2_000));
    expect(plan.nodeCount).toBe(2_001);
    expect(preorder(plan.root).every((n) => (n.exclusiveMs ?? 0) >= 0)).toBe(true);
  });

  it('analyzes 10,000 partitions, folding the repeated findings and collapsing siblings in the summary', () => {
    const plan = parsePlan(partitionedPlanJson(10_000));
    expect(plan.nodeCount).toBe(10_002);
    const findings = analyzePlan(plan);
    const seq = findings.filter((f) => f.rule === 'seq-scan-filter');
    expect(seq).toHaveLength(1);
    expect(seq[0]!.evidence.relation).toBe('events_p4321');
    const text = summarize(plan, findings, { budgetTokens: 1500 });
    expect(text.length).toBeLessThanOrEqual(6000);
    expect(text).toMatch(/… 9,998 more Seq Scan on events_pN \(similar/);
    // The expensive partition is kept by name even though it sits in the middle of the run.
    expect(text).toContain('events_p4321');
    expect(text.split('\n').length).toBeLessThan(40);
  });
});
