import { describe, expect, it } from 'vitest';
import { sortFindings } from '../../../src/core/findings';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { parsePlan } from '../../../src/core/plan/parse';
import { fixture, fixtureFiles, load, rulesOf } from './fixtures';

// Each rule, on the real plan captured to trigger it, in both formats. The expected rule must be reported as a
// warning or critical finding on the expected node; nothing else is pinned, since other real issues may co-occur.
const cases: [rule: string, stem: string, node: string][] = [
  ['seq-scan-filter', 'seq-scan-filter.analyze-buffers', '#2'],
  ['seq-scan-filter', 'seq-scan-filter.plain', '#2'],
  ['index-filter', 'index-filter.analyze-buffers', '#1'],
  ['join-filter', 'nested-loop-inner-scan.analyze-buffers', '#1'],
  ['nested-loop-inner-scan', 'nested-loop-inner-scan.analyze-buffers', '#3'],
  ['row-misestimate', 'row-misestimate.analyze-buffers', '#1'],
  ['sort-spill', 'sort-spill.analyze-buffers', '#2'],
  ['hash-spill', 'hash-spill.analyze-buffers', '#3'],
  ['hash-spill', 'cte-initplan-subplan.analyze-buffers', '#2'],
  ['heap-fetches', 'heap-fetches.analyze-buffers', '#1'],
  ['lossy-bitmap', 'lossy-bitmap.analyze-buffers', '#1'],
  ['jit-overhead', 'jit.analyze-buffers', '#1'],
  ['workers-not-launched', 'workers-not-launched.analyze-buffers', '#2'],
  ['trigger-time', 'trigger-fk.analyze-buffers', '#1'],
  ['cache-read', 'seq-scan-filter.analyze-buffers', '#2'],
];

describe('PostgreSQL rules on captured plans', () => {
  for (const [rule, stem, node] of cases) {
    for (const ext of ['json', 'txt']) {
      it(`${rule} fires on ${stem}.${ext} at ${node}`, () => {
        const { findings } = load(`postgres/${stem}.${ext}`);
        const hit = findings.find((f) => f.rule === rule && f.node === node);
        expect(hit, JSON.stringify(findings.map((f) => [f.rule, f.node]))).toBeDefined();
        expect(['warning', 'critical']).toContain(hit!.severity);
        expect(hit!.score).toBeGreaterThan(0);
        expect(hit!.message.length).toBeGreaterThan(30);
        expect(Object.keys(hit!.evidence).length).toBeGreaterThan(0);
      });
    }
  }

  it('reports the direction and size of a misestimate', () => {
    const f = load('postgres/row-misestimate.analyze-buffers.json').findings.find((x) => x.rule === 'row-misestimate')!;
    expect(f.evidence.direction).toBe('under');
    expect(f.evidence.ratio).toBeGreaterThanOrEqual(10);
    expect(f.message).toMatch(/underestimated \d+×/);
  });

  it('names the foreign key behind slow trigger time and suggests an index', () => {
    const f = load('postgres/trigger-fk.analyze-buffers.json').findings.find((x) => x.rule === 'trigger-time')!;
    expect(f.evidence.trigger).toBe('children_parent_id_fkey');
    expect(f.message).toMatch(/referencing column has no index/);
    expect(f.severity).toBe('critical');
  });

  it('judges seq-scan-filter from estimates alone when there is no ANALYZE', () => {
    const f = load('postgres/seq-scan-filter.plain.json').findings.find((x) => x.rule === 'seq-scan-filter')!;
    expect(f.message).toMatch(/estimate only/);
    expect(f.evidence.estimatedRowsRead).toBeGreaterThan(100_000);
  });

  it('suggests SQL fixes where one is certain', () => {
    expect(load('postgres/jit.analyze-buffers.json').findings.find((x) => x.rule === 'jit-overhead')!.fix).toBe('SET jit = off;');
    expect(load('postgres/sort-spill.analyze-buffers.json').findings.find((x) => x.rule === 'sort-spill')!.fix).toMatch(/^SET work_mem = '\d+MB';$/);
    expect(load('postgres/heap-fetches.analyze-buffers.json').findings.find((x) => x.rule === 'heap-fetches')!.fix).toBe('VACUUM (ANALYZE) readings;');
  });

  const healthy = fixtureFiles('postgres').filter((f) => /^postgres\/(pk-lookup|index-range-limit)\./.test(f));
  it.each(healthy)('healthy plan %s has no warning or critical finding, only the hotspot', (file) => {
    const { findings } = load(file);
    expect(rulesOf(findings)).toEqual([]);
    expect(findings.map((f) => f.rule)).toEqual(['hotspot']);
  });

  it.each(fixtureFiles('postgres'))('%s: findings are sorted, scored 0–5 and point at real nodes', (file) => {
    const { plan, findings } = load(file);
    expect(findings).toEqual(sortFindings(findings));
    const ids = new Set<string>();
    const stack = [plan.root];
    while (stack.length) {
      const n = stack.pop()!;
      ids.add(n.id);
      stack.push(...n.children);
    }
    for (const f of findings) {
      expect(f.score).toBeGreaterThanOrEqual(0);
      expect(f.score).toBeLessThanOrEqual(5);
      expect(ids.has(f.node!)).toBe(true);
    }
    expect(findings.filter((f) => f.rule === 'hotspot')).toHaveLength(1);
  });

  it('does not call a Limit-stopped scan an overestimate', () => {
    const { findings } = load('postgres/index-range-limit.analyze-buffers.json');
    expect(findings.find((f) => f.rule === 'row-misestimate')).toBeUndefined();
  });

  it('keeps planning-time quiet below its floor and reports it when planning dominates', () => {
    expect(load('postgres/pk-lookup.analyze.json').findings.some((f) => f.rule === 'planning-time')).toBe(false);
    // The same captured plan, with the planning time a plan over many partitions really shows.
    const value = JSON.parse(fixture('postgres/partitions.analyze-buffers.json')) as Record<string, unknown>[];
    value[0]!['Planning Time'] = 250;
    const f = analyzePlan(parsePlan(value)).find((x) => x.rule === 'planning-time');
    expect(f?.evidence.planningMs).toBe(250);
    expect(f?.severity).toBe('critical');
  });
});

describe('hotspot', () => {
  it('points at the busiest node, and says when triggers took most of the run instead', () => {
    const sort = load('postgres/sort-spill.analyze-buffers.json').findings.find((f) => f.rule === 'hotspot')!;
    expect(sort).toMatchObject({ severity: 'info', score: 0 });
    expect(sort.message).not.toMatch(/accounts for only/);
    const trig = load('postgres/trigger-fk.analyze-buffers.json').findings.find((f) => f.rule === 'hotspot')!;
    expect(trig.message).toMatch(/The plan tree itself accounts for only \d+% of execution; the rest went to triggers\./);
  });
});
