import { describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { PlanParseError, preorder } from '../../../src/core/plan/model';
import type { Plan } from '../../../src/core/plan/model';
import { parsePlan } from '../../../src/core/plan/parse';
import { fixture, fixtureFiles } from './fixtures';

function shape(plan: Plan) {
  return preorder(plan.root).map((n) => ({
    id: n.id,
    nodeType: n.nodeType,
    relation: n.relation,
    alias: n.alias,
    index: n.index,
    subplanName: n.subplanName,
    planRows: n.planRows,
    totalCost: n.totalCost,
    loops: n.loops,
    depth: 0,
  }));
}

describe('parsePlan on every captured fixture', () => {
  it.each(fixtureFiles('postgres'))('%s parses as a PostgreSQL plan', (file) => {
    const plan = parsePlan(fixture(file));
    expect(plan.dialect).toBe('postgres');
    expect(plan.nodeCount).toBeGreaterThan(0);
    expect(plan.analyzed).toBe(/analyze/.test(file));
    if (plan.analyzed) {
      expect(plan.executionMs).toBeGreaterThan(0);
      expect(plan.planningMs).toBeGreaterThan(0);
    }
    for (const n of preorder(plan.root)) {
      expect(n.id).toMatch(/^#\d+$/);
      expect(n.nodeType).not.toBe('');
      if (n.exclusiveMs !== undefined) expect(n.exclusiveMs).toBeGreaterThanOrEqual(0);
      if (n.exclusiveCost !== undefined) expect(n.exclusiveCost).toBeGreaterThanOrEqual(0);
    }
  });

  // JSON and text were captured from separate runs of the same statement, so the plan shape and the estimates
  // match exactly while timings differ.
  const pairs = fixtureFiles('postgres')
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, f.replace(/\.json$/, '.txt')] as const);
  it.each(pairs)('%s and its text twin describe the same tree', (jsonFile, textFile) => {
    const fromJson = parsePlan(fixture(jsonFile));
    const fromText = parsePlan(fixture(textFile));
    expect(fromText.format).toBe('text');
    expect(fromJson.format).toBe('json');
    expect(shape(fromText)).toEqual(shape(fromJson));
    expect(fromText.triggers.map((t) => [t.name, t.calls])).toEqual(fromJson.triggers.map((t) => [t.name, t.calls]));
    expect(fromText.jit?.functions).toEqual(fromJson.jit?.functions);
    expect(fromText.settings).toEqual(fromJson.settings);
  });
});

describe('PostgreSQL JSON shapes users paste', () => {
  const raw = fixture('postgres/seq-scan-filter.analyze-buffers.json');
  const value = JSON.parse(raw) as unknown[];

  it('accepts the bare array, the object inside it, the bare Plan node and already-parsed values', () => {
    const expected = parsePlan(raw).nodeCount;
    expect(parsePlan(JSON.stringify(value[0])).nodeCount).toBe(expected);
    expect(parsePlan(JSON.stringify((value[0] as { Plan: unknown }).Plan)).nodeCount).toBe(expected);
    expect(parsePlan(value).nodeCount).toBe(expected);
    expect(parsePlan(JSON.stringify(value)).executionMs).toBe((value[0] as Record<string, number>)['Execution Time']);
  });

  it("reads psql's aligned output with the QUERY PLAN header, + continuations and (1 row) footer", () => {
    const plan = parsePlan(fixture('postgres/seq-scan-filter.analyze-buffers.psql-json.txt'));
    expect(plan.format).toBe('json');
    expect(plan.root.nodeType).toBe('Gather');
    expect(plan.root.children[0]?.rowsRemovedByFilter).toBe(100000);
    expect(parsePlan(fixture('postgres/pk-lookup.plain.psql-json.txt')).root.index).toBe('orders_pkey');
  });

  it('reads VERBOSE, SETTINGS and WAL details', () => {
    const verbose = parsePlan(fixture('postgres/pk-lookup.analyze-buffers-verbose-settings.json'));
    expect(verbose.root.schema).toMatch(/^plan_fixtures_/);
    expect(verbose.root.output?.length).toBe(6);
    expect(Object.keys(verbose.settings ?? {})).toContain('search_path');
    const wal = parsePlan(fixture('postgres/insert-wal.analyze-buffers-wal.json'));
    expect(wal.root.wal?.records).toBeGreaterThan(2000);
    const walText = parsePlan(fixture('postgres/insert-wal.analyze-buffers-wal.txt'));
    expect(walText.root.wal?.bytes).toBeGreaterThan(0);
  });

  it('reads JIT, triggers and planning buffers', () => {
    const jit = parsePlan(fixture('postgres/jit.analyze-buffers.json'));
    expect(jit.jit?.functions).toBe(4);
    expect(jit.jit?.totalMs).toBeGreaterThan(0);
    const jitText = parsePlan(fixture('postgres/jit.analyze-buffers.txt'));
    expect(jitText.jit?.options).toEqual({ Inlining: true, Optimization: true, Expressions: true, Deforming: true });
    const trig = parsePlan(fixture('postgres/trigger-fk.analyze-buffers.txt'));
    expect(trig.triggers).toEqual([expect.objectContaining({ name: 'children_parent_id_fkey', constraint: true, calls: 150 })]);
    expect(parsePlan(fixture('postgres/index-filter.analyze-buffers.txt')).planningBuffers?.sharedHit).toBe(4);
  });
});

describe('PostgreSQL text details', () => {
  it('reads sort, hash, bitmap, heap fetch and worker lines (ignoring per-worker repeats)', () => {
    const sort = parsePlan(fixture('postgres/sort-spill.analyze-buffers.txt')).root.children[0]!;
    expect(sort).toMatchObject({ nodeType: 'Sort', sortMethod: 'external merge', sortSpaceType: 'Disk', sortKey: ['note DESC'] });
    expect(sort.sortSpaceKb).toBeGreaterThan(1000);
    const hash = parsePlan(fixture('postgres/hash-spill.analyze-buffers.txt')).root.children[1]!;
    expect(hash).toMatchObject({ nodeType: 'Hash', hashBuckets: 1024 });
    expect(hash.hashBatches).toBeGreaterThan(1);
    const bitmap = parsePlan(fixture('postgres/lossy-bitmap.analyze-buffers.txt')).root;
    expect(bitmap.lossyHeapBlocks).toBeGreaterThan(0);
    expect(bitmap.rowsRemovedByIndexRecheck).toBeGreaterThan(0);
    expect(parsePlan(fixture('postgres/heap-fetches.analyze-buffers.txt')).root.heapFetches).toBe(19999);
    const gather = parsePlan(fixture('postgres/workers-not-launched.analyze-buffers.txt')).root.children[0]!;
    expect(gather).toMatchObject({ nodeType: 'Gather', workersPlanned: 2, workersLaunched: 0 });
    const verbose = parsePlan(fixture('postgres/parallel.analyze-buffers-verbose.txt'));
    const sortNode = preorder(verbose.root).find((n) => n.nodeType === 'Sort')!;
    expect(sortNode.sortMethod).toBe('quicksort');
    expect(sortNode.buffers?.sharedHit).toBe(parsePlan(fixture('postgres/parallel.analyze-buffers-verbose.json')).root.children[0]!.children[0]!.buffers?.sharedHit);
  });

  it('attaches CTE, InitPlan and SubPlan children to the node they hang under', () => {
    const plan = parsePlan(fixture('postgres/cte-initplan-subplan.analyze-buffers.txt'));
    const names = plan.root.children.map((c) => c.subplanName ?? c.nodeType);
    expect(names).toEqual(['CTE big', 'InitPlan 3 (returns $2)', 'CTE Scan', 'Hash', 'SubPlan 2']);
    expect(plan.root.children.map((c) => c.parentRelationship)).toEqual(['InitPlan', 'InitPlan', undefined, undefined, 'SubPlan']);
  });

  it("reads psql's aligned text output, pgAdmin's quoted lines, CRLF and expanded (\\x) output", () => {
    const direct = parsePlan(fixture('postgres/cte-initplan-subplan.analyze-buffers.txt'));
    const psql = parsePlan(fixture('postgres/cte-initplan-subplan.analyze-buffers.psql-text.txt'));
    expect(psql.nodeCount).toBe(direct.nodeCount);
    const text = fixture('postgres/hash-spill.analyze-buffers.txt');
    const lines = text.trimEnd().split('\n');
    const expected = parsePlan(text);
    const quoted = ['"QUERY PLAN"', ...lines.map((l) => `"${l.replace(/"/g, '""')}"`)].join('\n');
    expect(shapeOf(parsePlan(quoted))).toEqual(shapeOf(expected));
    expect(shapeOf(parsePlan(lines.join('\r\n')))).toEqual(shapeOf(expected));
    const expanded = ['-[ RECORD 1 ]--------', ...lines.map((l, i) => `${i === 0 ? 'QUERY PLAN' : '          '} | ${l}`)].join('\n');
    expect(shapeOf(parsePlan(expanded))).toEqual(shapeOf(expected));
  });

  it('parses COSTS OFF plans and marks never-executed nodes', () => {
    const plan = parsePlan(['Nested Loop', '  ->  Seq Scan on a', '        Filter: (x > 1)', '  ->  Index Scan using b_pkey on b', '        Index Cond: (id = a.id)'].join('\n'));
    expect(preorder(plan.root).map((n) => n.label)).toEqual(['Nested Loop', 'Seq Scan on a', 'Index Scan using b_pkey on b']);
    const never = parsePlan(
      [
        'Nested Loop  (cost=0.00..2.00 rows=1 width=4) (actual time=0.010..0.010 rows=0 loops=1)',
        '  ->  Seq Scan on a  (cost=0.00..1.00 rows=1 width=4) (actual time=0.005..0.005 rows=0 loops=1)',
        '  ->  Seq Scan on b  (cost=0.00..1.00 rows=1 width=4) (never executed)',
        'Execution Time: 0.020 ms',
      ].join('\n'),
    );
    const b = never.root.children[1]!;
    expect(b).toMatchObject({ neverExecuted: true, loops: 0, exclusiveMs: 0 });
  });
});

function shapeOf(plan: Plan) {
  return preorder(plan.root).map((n) => [n.id, n.label, n.planRows, n.actualRows, n.hashBatches, n.filter]);
}

describe('input that is not a plan', () => {
  const cases: [string, RegExp][] = [
    ['', /input is empty/],
    ['   \n\n ', /input is empty/],
    ['select * from orders where id = 1', /line 1 looks like a SQL statement, not its plan/],
    ['hello\nworld', /expected PostgreSQL EXPLAIN output \(text, JSON, XML or YAML\) or SQLite EXPLAIN QUERY PLAN; read as text, line 1 looks like "hello", which is neither a plan node nor a psql header, frame or prompt/],
    ['{"Plan": ', /looks like JSON but does not parse/],
    ['{"rows": [1, 2]}', /the JSON is an object with keys "rows"/],
    ['[1, 2, 3]', /the JSON is an array whose first item is a number/],
    ['[]', /array whose first item is a undefined|an array/],
    ['\u0000\u0001\u0002binary', /expected PostgreSQL EXPLAIN output/],
  ];
  it.each(cases)('%j → PlanParseError', (input, message) => {
    let error: unknown;
    try {
      parsePlan(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PlanParseError);
    expect((error as Error).message).toMatch(message);
  });

  it('rejects non-string values that are not plans, and a dialect hint that contradicts the input', () => {
    expect(() => parsePlan(42)).toThrow(PlanParseError);
    expect(() => parsePlan(null)).toThrow(/the JSON is null/);
    expect(() => parsePlan(fixture('postgres/pk-lookup.plain.json'), { dialect: 'sqlite' })).toThrow(/expected SQLite/);
    expect(() => parsePlan(fixture('sqlite/pk-lookup.rows.json'), { dialect: 'postgres' })).toThrow(/expected PostgreSQL/);
    expect(() => parsePlan(fixture('postgres/pk-lookup.plain.txt'), { dialect: 'sqlite' })).toThrow(/expected SQLite EXPLAIN QUERY PLAN/);
  });
});

describe('format hints', () => {
  it('says when a forced JSON format does not parse, and parses text when told so', () => {
    expect(() => parsePlan(fixture('postgres/pk-lookup.plain.txt'), { format: 'json' })).toThrow(/the format was given as JSON but the input does not parse/);
    expect(parsePlan(fixture('postgres/pk-lookup.plain.txt'), { format: 'text', dialect: 'postgres' }).root.index).toBe('orders_pkey');
    expect(parsePlan(fixture('sqlite/temp-btree.tree.txt'), { format: 'text', dialect: 'sqlite' }).nodeCount).toBe(3);
  });
});

describe('pasted from Markdown', () => {
  it('ignores code fences around JSON, text and SQLite plans', () => {
    const json = fixture('postgres/hash-spill.analyze-buffers.json');
    expect(parsePlan('```json\n' + json + '```\n').nodeCount).toBe(4);
    const text = fixture('postgres/hash-spill.analyze-buffers.txt');
    expect(parsePlan('```\n' + text + '```').nodeCount).toBe(4);
    expect(parsePlan('~~~\n' + fixture('sqlite/compound.tree.txt') + '~~~').nodeCount).toBe(5);
  });
});

describe('I/O timings (track_io_timing = on)', () => {
  it('reads them from JSON and from the text format, and cache-read uses the measured read time', () => {
    for (const ext of ['json', 'txt']) {
      const plan = parsePlan(fixture(`postgres/io-timing.analyze-buffers.${ext}`));
      expect(plan.root.io?.readMs).toBeGreaterThan(0);
      expect(plan.root.children[0]!.io?.readMs).toBe(plan.root.io?.readMs);
      const f = analyzePlan(plan).find((x) => x.rule === 'cache-read');
      expect(f?.evidence.ioReadMs).toBe(Math.round(plan.root.io!.readMs! * 100) / 100);
    }
  });
});

describe('pathological input', () => {
  it('stays linear on a line with a huge run of spaces (no regex backtracking over pasted text)', () => {
    const text = ['Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)', `  ->  x${' '.repeat(200_000)}y`, `${' '.repeat(200_000)}(cost=`].join('\n');
    const plan = parsePlan(text);
    expect(plan.root.relation).toBe('t');
  });
});
