// The benchmark plan: a generated EXPLAIN (ANALYZE, BUFFERS) of a query over N partitions (Aggregate → Append → N Seq
// Scans), as FORMAT JSON and as text. Shared by the plan, CLI and plan-view benchmarks.

function scan(i: number): Record<string, unknown> {
  const name = `events_p${String(i).padStart(5, '0')}`;
  return {
    'Node Type': 'Seq Scan',
    'Parent Relationship': 'Member',
    'Parallel Aware': false,
    'Async Capable': false,
    'Relation Name': name,
    Alias: `events_${i + 1}`,
    'Startup Cost': 0.0,
    'Total Cost': 90.5 + (i % 7),
    'Plan Rows': 714,
    'Plan Width': 0,
    'Actual Startup Time': 0.011,
    'Actual Total Time': 0.5 + (i % 13) / 100,
    'Actual Rows': 714,
    'Actual Loops': 1,
    Filter: "(kind = 'kind3'::text)",
    'Rows Removed by Filter': 4286,
    'Shared Hit Blocks': 28,
    'Shared Read Blocks': 0,
    'Shared Dirtied Blocks': 0,
    'Shared Written Blocks': 0,
    'Local Hit Blocks': 0,
    'Local Read Blocks': 0,
    'Local Dirtied Blocks': 0,
    'Local Written Blocks': 0,
    'Temp Read Blocks': 0,
    'Temp Written Blocks': 0,
  };
}

export function partitionPlanJson(partitions: number): string {
  const scans = Array.from({ length: partitions }, (_, i) => scan(i));
  const plan = [
    {
      Plan: {
        'Node Type': 'Aggregate',
        Strategy: 'Plain',
        'Startup Cost': 1_000_000,
        'Total Cost': 1_000_001,
        'Plan Rows': 1,
        'Plan Width': 8,
        'Actual Startup Time': 6500,
        'Actual Total Time': 6500.1,
        'Actual Rows': 1,
        'Actual Loops': 1,
        Plans: [
          { 'Node Type': 'Append', 'Parent Relationship': 'Outer', 'Startup Cost': 0, 'Total Cost': 990_000, 'Plan Rows': 7_140_000, 'Plan Width': 0, 'Actual Startup Time': 0.01, 'Actual Total Time': 6400, 'Actual Rows': 7_140_000, 'Actual Loops': 1, Plans: scans },
        ],
      },
      'Planning Time': 850.2,
      Triggers: [],
      'Execution Time': 6510.3,
    },
  ];
  return JSON.stringify(plan, null, 2);
}

export function partitionPlanText(partitions: number): string {
  const lines = [
    'Aggregate  (cost=1000000.00..1000001.00 rows=1 width=8) (actual time=6500.000..6500.100 rows=1 loops=1)',
    '  ->  Append  (cost=0.00..990000.00 rows=7140000 width=0) (actual time=0.010..6400.000 rows=7140000 loops=1)',
  ];
  for (let i = 0; i < partitions; i++) {
    lines.push(`        ->  Seq Scan on events_p${String(i).padStart(5, '0')} events_${i + 1}  (cost=0.00..${(90.5 + (i % 7)).toFixed(2)} rows=714 width=0) (actual time=0.011..${(0.5 + (i % 13) / 100).toFixed(3)} rows=714 loops=1)`);
    lines.push("              Filter: (kind = 'kind3'::text)", '              Rows Removed by Filter: 4286', '              Buffers: shared hit=28');
  }
  lines.push('Planning Time: 850.200 ms', 'Execution Time: 6510.300 ms');
  return lines.join('\n');
}
