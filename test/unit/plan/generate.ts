// Generated plans for scale tests: shapes real servers produce (an Append over thousands of partitions) and
// pathological ones (a 10,000-deep chain) that must not overflow the stack.

export function partitionedPlanJson(partitions: number): string {
  const scans = Array.from({ length: partitions }, (_, i) => ({
    'Node Type': 'Seq Scan',
    'Parent Relationship': 'Member',
    'Relation Name': `events_p${String(i).padStart(4, '0')}`,
    Alias: `events_${i + 1}`,
    'Startup Cost': 0,
    'Total Cost': 90.5,
    'Plan Rows': 714,
    'Plan Width': 0,
    'Actual Startup Time': 0.01,
    'Actual Total Time': 0.5 + (i === 4321 ? 50 : 0),
    'Actual Rows': 714,
    'Actual Loops': 1,
    Filter: "(kind = 'kind3'::text)",
    'Rows Removed by Filter': i === 4321 ? 400000 : 10,
    'Shared Hit Blocks': 28,
    'Shared Read Blocks': 0,
  }));
  return JSON.stringify([
    {
      Plan: {
        'Node Type': 'Aggregate',
        Strategy: 'Plain',
        'Startup Cost': 1e6,
        'Total Cost': 1e6 + 1,
        'Plan Rows': 1,
        'Plan Width': 8,
        'Actual Startup Time': 5100,
        'Actual Total Time': 5100,
        'Actual Rows': 1,
        'Actual Loops': 1,
        Plans: [{ 'Node Type': 'Append', 'Parent Relationship': 'Outer', 'Startup Cost': 0, 'Total Cost': 1e6, 'Plan Rows': 714 * partitions, 'Plan Width': 0, 'Actual Startup Time': 0.01, 'Actual Total Time': 5050, 'Actual Rows': 714 * partitions, 'Actual Loops': 1, Plans: scans }],
      },
      'Planning Time': 900,
      Triggers: [],
      'Execution Time': 5101,
    },
  ]);
}

/** A chain of `depth` nested Subquery Scans over a Seq Scan, built as text so nothing here recurses. */
export function deepPlanJson(depth: number): string {
  const open: string[] = [];
  for (let i = 0; i < depth; i++) {
    open.push(`{"Node Type":"Subquery Scan","Alias":"s${i}","Startup Cost":0,"Total Cost":${depth - i + 10},"Plan Rows":10,"Plan Width":4,"Actual Startup Time":0.01,"Actual Total Time":${(depth - i) * 0.001 + 1},"Actual Rows":10,"Actual Loops":1,"Plans":[`);
  }
  const leaf = '{"Node Type":"Seq Scan","Relation Name":"t","Alias":"t","Startup Cost":0,"Total Cost":10,"Plan Rows":10,"Plan Width":4,"Actual Startup Time":0.01,"Actual Total Time":1,"Actual Rows":10,"Actual Loops":1,"Filter":"(x = 1)","Rows Removed by Filter":5}';
  return `[{"Plan":${open.join('')}${leaf}${']}'.repeat(depth)},"Planning Time":1,"Execution Time":${depth * 0.001 + 2}}]`;
}

export function deepPlanText(depth: number): string {
  const lines = ['Subquery Scan on s0  (cost=0.00..20010.00 rows=10 width=4) (actual time=0.010..12.000 rows=10 loops=1)'];
  for (let i = 1; i < depth; i++) {
    lines.push(`${' '.repeat(6 * i - 4)}->  Subquery Scan on s${i}  (cost=0.00..${20010 - i}.00 rows=10 width=4) (actual time=0.010..${(12 - i * 0.001).toFixed(3)} rows=10 loops=1)`);
  }
  lines.push(`${' '.repeat(6 * depth - 4)}->  Seq Scan on t  (cost=0.00..10.00 rows=10 width=4) (actual time=0.010..1.000 rows=10 loops=1)`);
  lines.push('Execution Time: 12.100 ms');
  return lines.join('\n');
}
