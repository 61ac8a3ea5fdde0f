// Issue 18, class by class, on small made-up pastes (the corpus test covers the real ones): what reads, what the
// plan says it lost, and what an error names.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useDocumentReaders } from '../../../src/core/plan/documentReaders';
import { PlanParseError, preorder } from '../../../src/core/plan/model';
import type { Plan } from '../../../src/core/plan/model';
import { parsePlan } from '../../../src/core/plan/parse';
import { pgDocumentReaders } from '../../../src/core/plan/pgDocuments';

beforeEach(() => useDocumentReaders(pgDocumentReaders));

const lines = (...l: string[]) => l.join('\n');
const labels = (plan: Plan) => preorder(plan.root).map((n) => n.label);

function parseError(input: string): string {
  try {
    parsePlan(input);
  } catch (err) {
    expect(err).toBeInstanceOf(PlanParseError);
    return (err as Error).message;
  }
  throw new Error('expected a PlanParseError');
}

const json = (planning = 0.1, execution = 2.5) =>
  JSON.stringify(
    [{ Plan: { 'Node Type': 'Seq Scan', 'Relation Name': 't1', Alias: 't1', 'Startup Cost': 0, 'Total Cost': 1.5, 'Plan Rows': 1, 'Plan Width': 4, 'Actual Total Time': 0.5, 'Actual Rows': 1, 'Actual Loops': 1 }, 'Planning Time': planning, 'Execution Time': execution }],
    null,
    2,
  );

describe('1. single-node plans without costs', () => {
  it('reads one node under psql\'s header, with its detail', () => {
    const plan = parsePlan(lines('    QUERY PLAN', '------------------', ' Seq Scan on t1', '   Filter: (c1 = 1)', '(2 rows)'));
    expect(plan.nodeCount).toBe(1);
    expect(plan.root).toMatchObject({ nodeType: 'Seq Scan', relation: 't1', filter: '(c1 = 1)' });
    expect(plan.warnings).toEqual([]);
  });

  it('never quotes a plan back as the reason for refusing it', () => {
    for (const text of ['Seq Scan on t1', 'Custom Scan (ColumnarScan) on t', 'Result', 'Index Only Scan using t_pkey on t']) {
      expect(parsePlan(text).nodeCount).toBe(1);
    }
  });
});

describe('2 and 3. times, whatever their case and indentation', () => {
  it('reads lower-case labels (9.4–12) and Total runtime (≤ 9.3)', () => {
    const node = 'Seq Scan on t  (cost=0.00..1.00 rows=1 width=4) (actual time=0.010..0.020 rows=1 loops=1)';
    expect(parsePlan(lines(node, 'Planning time: 0.210 ms', 'Execution time: 12.003 ms'))).toMatchObject({ planningMs: 0.21, executionMs: 12.003 });
    expect(parsePlan(lines(node, 'Total runtime: 7.5 ms')).executionMs).toBe(7.5);
  });

  it('reads trailers indented deeper than a root that lost its margin', () => {
    const plan = parsePlan(lines('Seq Scan on t  (cost=0.00..1.00 rows=1 width=4) (actual time=0.010..0.020 rows=1 loops=1)', '   Filter: (a > 1)', ' Planning Time: 0.050 ms', ' Execution Time: 0.090 ms'));
    expect(plan).toMatchObject({ planningMs: 0.05, executionMs: 0.09, nodeCount: 1 });
    expect(plan.root.filter).toBe('(a > 1)');
  });
});

describe('4–6. psql frames, line styles and unaligned output', () => {
  const node = 'Seq Scan on t1  (cost=0.00..1.50 rows=1 width=4)';
  it('reads \\pset border 2 in ASCII and in Unicode', () => {
    const ascii = lines('+------------------------------------------------------+', '|                      QUERY PLAN                      |', '+------------------------------------------------------+', `| ${node}    |`, '|   Filter: (c1 = 1)                                   |', '+------------------------------------------------------+', '(2 rows)');
    const unicode = ascii.replace(/^\+(-+)\+$/gm, (_, d: string) => `├${'─'.repeat(d.length)}┤`).replace(/\|/g, '│');
    for (const text of [ascii, unicode]) expect(parsePlan(text).root).toMatchObject({ relation: 't1', filter: '(c1 = 1)', totalCost: 1.5 });
  });

  it('reads JSON with ↵ continuations, inside a border-2 frame too', () => {
    const body = json().split('\n');
    const width = Math.max(...body.map((l) => l.length)) + 1;
    const unicode = lines('   QUERY PLAN', '═'.repeat(width), ...body.map((l, i) => ` ${l.padEnd(width)}${i < body.length - 1 ? '↵' : ''}`), '(1 row)');
    expect(parsePlan(unicode)).toMatchObject({ format: 'json', nodeCount: 1, executionMs: 2.5 });
    const framed = lines('┌' + '─'.repeat(width + 2) + '┐', `│ ${'QUERY PLAN'.padEnd(width)} │`, '├' + '─'.repeat(width + 2) + '┤', ...body.map((l, i) => `│ ${l.padEnd(width)}${i < body.length - 1 ? '↵' : ' '}│`), '└' + '─'.repeat(width + 2) + '┘');
    expect(parsePlan(framed)).toMatchObject({ format: 'json', nodeCount: 1, planningMs: 0.1 });
  });

  it('reads unaligned output (\\a): a bare QUERY PLAN line above the JSON', () => {
    expect(parsePlan(lines('QUERY PLAN', json(), '(1 row)'))).toMatchObject({ format: 'json', nodeCount: 1 });
  });

  describe('expanded display (\\x): one record per row of the result', () => {
    const rows = ['Hash Join  (cost=1.09..2.21 rows=3 width=8)', '  Hash Cond: (a.id = b.id)', '  ->  Seq Scan on a  (cost=0.00..1.03 rows=3 width=4)', '  ->  Hash  (cost=1.04..1.04 rows=4 width=4)', '        ->  Seq Scan on b  (cost=0.00..1.04 rows=4 width=4)'];
    const w = Math.max(...rows.map((r) => r.length));
    const layouts: Record<string, string[]> = {
      'border 0': rows.flatMap((r, i) => [`* Record ${i + 1}`, `QUERY PLAN ${r}`]),
      'border 1': rows.flatMap((r, i) => [`-[ RECORD ${i + 1} ]${'-'.repeat(w)}`, `QUERY PLAN | ${r}`]),
      'border 2': [...rows.flatMap((r, i) => [`+-[ RECORD ${i + 1} ]${'-'.repeat(w)}+`, `| QUERY PLAN | ${r.padEnd(w)} |`]), `+------------+-${'-'.repeat(w)}-+`],
      'unicode border 2': [...rows.flatMap((r, i) => [`${i ? '├' : '┌'}─[ RECORD ${i + 1} ]${'─'.repeat(w)}${i ? '┤' : '┐'}`, `│ QUERY PLAN │ ${r.padEnd(w)} │`]), `└────────────┴─${'─'.repeat(w)}─┘`],
    };
    it.each(Object.entries(layouts))('reads a text plan under %s, indentation kept, without a warning', (_name, layout) => {
      const plan = parsePlan(lines('db=# explain select * from a join b using (id);', ...layout, 'db=#'));
      expect(labels(plan)).toEqual(labels(parsePlan(rows.join('\n'))));
      expect(plan.root.hashCond).toBe('(a.id = b.id)');
      expect(plan.warnings).toEqual([]);
    });

    it('reads a JSON plan in one record, its continuation marks dropped', () => {
      const body = json().split('\n');
      const width = Math.max(...body.map((l) => l.length));
      const mark = (i: number, m: string) => (i < body.length - 1 ? m : ' ');
      const ascii = lines(`-[ RECORD 1 ]${'-'.repeat(width)}`, ...body.map((l, i) => `${i ? '          ' : 'QUERY PLAN'} | ${l.padEnd(width)}${mark(i, '+')}`));
      const unicode = lines(`┌─[ RECORD 1 ]${'─'.repeat(width)}┐`, ...body.map((l, i) => `│ ${i ? '          ' : 'QUERY PLAN'} │ ${l.padEnd(width)}${mark(i, '↵')}│`), `└────────────┴─${'─'.repeat(width)}─┘`);
      for (const text of [ascii, unicode]) expect(parsePlan(text)).toMatchObject({ format: 'json', nodeCount: 1, planningMs: 0.1, executionMs: 2.5, warnings: [] });
    });
  });
});

describe('7. GUI exports', () => {
  const plan = ['Hash Join  (cost=1.09..32.08 rows=32 width=224)', '  Hash Cond: (c.relnamespace = n.oid)', '  ->  Seq Scan on pg_class c  (cost=0.00..29.84 rows=64 width=73)', "        Filter: (relname <> 'x'::name)", '  ->  Hash  (cost=1.07..1.07 rows=2 width=68)', '        ->  Seq Scan on pg_namespace n  (cost=0.00..1.07 rows=2 width=68)'];
  it('reads a grid copy with | at the end of every line', () => {
    const width = Math.max(...plan.map((l) => l.length));
    const grid = lines(`${'QUERY PLAN'.padEnd(width)}|`, `${'-'.repeat(width)}+`, ...plan.map((l) => `${l.padEnd(width)}|`));
    expect(labels(parsePlan(grid))).toHaveLength(4);
  });

  it('reads every line wrapped in single quotes, quotes inside doubled', () => {
    const quoted = parsePlan(plan.map((l) => `'${l.replace(/'/g, "''")}'`).join('\n'));
    expect(quoted.nodeCount).toBe(4);
    expect(quoted.root.children[0]!.filter).toBe("(relname <> 'x'::name)");
  });

  it('reads a CSV cell holding the JSON with "" escapes, with or without its header', () => {
    const cell = `"${json().replace(/"/g, '""')}"`;
    expect(parsePlan(lines('QUERY PLAN', cell))).toMatchObject({ format: 'json', nodeCount: 1, executionMs: 2.5 });
    expect(parsePlan(cell)).toMatchObject({ format: 'json', nodeCount: 1 });
  });
});

describe('8. several plans in one result', () => {
  it('reads every plan of a text result under one root, times added up, and says so', () => {
    const plan = parsePlan(
      lines(
        '                  QUERY PLAN',
        '----------------------------------------------',
        ' Insert on archived  (cost=0.00..0.01 rows=0 width=0) (actual time=0.431..0.431 rows=0 loops=1)',
        '   ->  Result  (cost=0.00..0.01 rows=1 width=8) (actual time=0.002..0.002 rows=1 loops=1)',
        ' Planning Time: 0.063 ms',
        ' Execution Time: 0.475 ms',
        ' ',
        ' Insert on audit  (cost=0.00..0.01 rows=0 width=0) (actual time=0.059..0.060 rows=0 loops=1)',
        '   ->  Result  (cost=0.00..0.01 rows=1 width=12) (actual time=0.001..0.001 rows=1 loops=1)',
        ' Planning Time: 0.061 ms',
        ' Execution Time: 0.067 ms',
        '(9 rows)',
      ),
    );
    expect(plan).toMatchObject({ nodeCount: 4, planningMs: 0.124, executionMs: 0.542 });
    expect(plan.root).toMatchObject({ id: '#0', nodeType: 'Query Plans' });
    expect(plan.root.children.map((c) => [c.id, c.relation])).toEqual([['#1', 'archived'], ['#3', 'audit']]);
    expect(plan.warnings.join()).toMatch(/holds 2 plans/);
  });

  it('does the same for JSON, COSTS OFF text included', () => {
    const two = JSON.stringify([...(JSON.parse(json(0.1, 1)) as unknown[]), ...(JSON.parse(json(0.2, 2)) as unknown[])]);
    expect(parsePlan(two)).toMatchObject({ nodeCount: 2, planningMs: 0.3, executionMs: 3 });
    expect(parsePlan(lines(' Insert on a', '   ->  Result', ' ', ' Insert on b', '   ->  Result')).nodeCount).toBe(4);
  });
});

describe('9. a psql session pasted whole', () => {
  it('skips the prompt and the SQL, even when the prompt starts with [', () => {
    const framed = json()
      .split('\n')
      .map((l, i, all) => ` ${l.padEnd(40)}${i < all.length - 1 ? '+' : ''}`);
    for (const prompt of ['[1234](postgres@127.0.0.1:5432)postgres@db=# ', 'db=> ']) {
      const session = lines(`${prompt}explain (analyze, format json) select * from t1;`, '   QUERY PLAN', '-'.repeat(42), ...framed, '(1 row)', '', prompt.trimEnd());
      expect(parsePlan(session)).toMatchObject({ format: 'json', nodeCount: 1, executionMs: 2.5 });
    }
  });
});

describe('10. terminal-wrapped plans', () => {
  /** What a terminal of `columns` shows, copied back: each line cut every `columns` characters, trailing spaces trimmed. */
  const wrap = (text: string, columns: number) =>
    text
      .split('\n')
      .flatMap((l) => (l.length ? (l.match(new RegExp(`.{1,${columns}}`, 'g')) ?? []) : ['']))
      .map((l) => l.trimEnd())
      .join('\n');
  const plan = lines(
    '                       QUERY PLAN',
    '-'.repeat(104),
    ' Nested Loop  (cost=0.00..611.27 rows=13400 width=8) (actual time=0.025..10.198 rows=34956 loops=1)',
    '   Join Filter: (t1.c1 > t2.c2)',
    '   ->  Seq Scan on t1  (cost=0.00..6.02 rows=402 width=4) (actual time=0.013..0.058 rows=402 loops=1)',
    '   ->  Materialize  (cost=0.00..2.50 rows=100 width=4) (actual time=0.000..0.008 rows=100 loops=402)',
    '         ->  Seq Scan on t2  (cost=0.00..2.00 rows=100 width=4) (actual time=0.005..0.015 rows=100 loops=1)',
    ' Planning Time: 0.083 ms',
    ' Execution Time: 12.035 ms',
    '(7 rows)',
  );

  it('joins the lines a terminal wrapped, keeps every node and every time, and says so', () => {
    const whole = parsePlan(plan);
    for (const columns of [60, 80, 90]) {
      const wrapped = parsePlan(wrap(plan, columns));
      expect(wrapped, `${columns} columns`).toMatchObject({ nodeCount: 4, planningMs: 0.083, executionMs: 12.035 });
      expect(preorder(wrapped.root).map((n) => [n.loops, n.totalCost, n.actualTotalMs])).toEqual(preorder(whole.root).map((n) => [n.loops, n.totalCost, n.actualTotalMs]));
      expect(wrapped.warnings.join(), `${columns} columns`).toMatch(/the terminal had wrapped \d+ lines/);
    }
  });

  it('puts back the spaces a copy trimmed where the terminal broke a line, at any width, the header split anywhere', () => {
    // At some widths a break falls inside the two spaces before `(cost=`, or on the space before `rows=`: the copy
    // trims the piece's trailing space, and joining the pieces must not run the words together.
    const whole = parsePlan(plan);
    for (let columns = 24; columns <= 104; columns++) {
      const wrapped = parsePlan(wrap(plan, columns));
      expect(labels(wrapped), `${columns} columns`).toEqual(labels(whole));
      expect(preorder(wrapped.root).map((n) => [n.planRows, n.actualRows, n.loops]), `${columns} columns`).toEqual(preorder(whole.root).map((n) => [n.planRows, n.actualRows, n.loops]));
      expect(wrapped.warnings.filter((w) => !/the terminal had wrapped/.test(w)), `${columns} columns`).toEqual([]);
    }
  });

  it('refuses, saying it looks wrapped, when the lines cannot be placed', () => {
    const message = parseError(lines('  Nested Loop  (cost=0.00..611.27 rows=13400 width=8)', '    ->  Seq Scan on t1  (cost=0.00..6.02 rows=402 width=4)', '->  Seq Scan on t2  (cost=0.00..2.00 rows=100 width=4)'));
    expect(message).toMatch(/looks wrapped/);
  });
});

describe('11. EXPLAIN (FORMAT XML) and (FORMAT YAML)', () => {
  const xml = lines(
    '<explain xmlns="http://www.postgresql.org/2009/explain">',
    '  <Query>',
    '    <Plan>',
    '      <Node-Type>Hash Join</Node-Type>',
    '      <Parallel-Aware>false</Parallel-Aware>',
    '      <Join-Type>Inner</Join-Type>',
    '      <Startup-Cost>1.09</Startup-Cost>',
    '      <Total-Cost>32.08</Total-Cost>',
    '      <Plan-Rows>32</Plan-Rows>',
    '      <Plan-Width>224</Plan-Width>',
    '      <Hash-Cond>(c.relnamespace = n.oid)</Hash-Cond>',
    '      <Plans>',
    '        <Plan>',
    '          <Node-Type>Seq Scan</Node-Type>',
    '          <Parent-Relationship>Outer</Parent-Relationship>',
    '          <Relation-Name>pg_class</Relation-Name>',
    '          <Alias>c</Alias>',
    '          <Total-Cost>29.84</Total-Cost>',
    '          <Filter>(relname &lt;&gt; &apos;x&apos;::name)</Filter>',
    '          <Shared-I-O-Read-Time>0.5</Shared-I-O-Read-Time>',
    '        </Plan>',
    '        <Plan>',
    '          <Node-Type>Hash</Node-Type>',
    '          <Parent-Relationship>Inner</Parent-Relationship>',
    '          <Total-Cost>1.07</Total-Cost>',
    '        </Plan>',
    '      </Plans>',
    '    </Plan>',
    '    <Planning-Time>0.125</Planning-Time>',
    '    <Execution-Time>0.700</Execution-Time>',
    '  </Query>',
    '</explain>',
  );
  const yaml = lines(
    '- Plan: ',
    '    Node Type: "Hash Join"',
    '    Join Type: "Inner"',
    '    Total Cost: 32.08',
    '    Hash Cond: "(c.relnamespace = n.oid)"',
    '    Plans: ',
    '      - Node Type: "Seq Scan"',
    '        Parent Relationship: "Outer"',
    '        Relation Name: "pg_class"',
    '        Alias: "c"',
    '        Total Cost: 29.84',
    '      - Node Type: "Hash"',
    '        Parent Relationship: "Inner"',
    '        Total Cost: 1.07',
    '  Planning Time: 0.125',
    '  Execution Time: 0.700',
  );

  it('reads both into the same model as JSON', () => {
    for (const [text, format] of [[xml, 'xml'], [yaml, 'yaml']] as const) {
      const plan = parsePlan(text);
      expect(plan).toMatchObject({ format, nodeCount: 3, planningMs: 0.125, executionMs: 0.7 });
      expect(plan.root).toMatchObject({ nodeType: 'Hash Join', joinType: 'Inner', totalCost: 32.08, hashCond: '(c.relnamespace = n.oid)' });
      expect(plan.root.children[0]).toMatchObject({ relation: 'pg_class', alias: 'c', parentRelationship: 'Outer' });
      expect(plan.root.exclusiveCost).toBeCloseTo(32.08 - 29.84 - 1.07, 6);
    }
    const fromXml = parsePlan(xml).root.children[0]!;
    expect(fromXml.filter).toBe("(relname <> 'x'::name)");
    expect(fromXml.io?.readMs).toBe(0.5);
  });

  it('reads them from psql too: header, + continuations, footer', () => {
    const psql = lines('QUERY PLAN', '-'.repeat(60), ...yaml.split('\n').map((l) => ` ${l.padEnd(58)}+`), '(1 row)');
    expect(parsePlan(psql)).toMatchObject({ format: 'yaml', nodeCount: 3 });
  });

  it('says which format is broken', () => {
    expect(parseError(xml.replace('</Plans>', ''))).toMatch(/FORMAT XML\) output, but the XML is broken/);
    expect(parseError(yaml.replace('    Plans: ', '    Plans: [').replace('  Planning Time', '  : : Planning Time'))).toMatch(/FORMAT YAML\) output, but the YAML is broken/);
  });

  describe('where no reader is installed (the extension host)', () => {
    beforeEach(() => useDocumentReaders(undefined));
    afterEach(() => useDocumentReaders(pgDocumentReaders));
    it('names the format it cannot read', () => {
      expect(parseError(xml)).toMatch(/EXPLAIN \(FORMAT XML\) output, which this part of the product does not read/);
    });
  });
});

describe('deep XML and YAML documents', () => {
  const xml = (depth: number) =>
    `<explain xmlns="http://www.postgresql.org/2009/explain"><Query>${'<Plan><Node-Type>Limit</Node-Type><Plans>'.repeat(depth)}${'</Plans></Plan>'.repeat(depth)}</Query></explain>`;
  it('reads an XML plan hundreds of nodes deep, and refuses a deeper one quickly, saying why', () => {
    expect(parsePlan(xml(300)).nodeCount).toBe(300);
    const started = performance.now();
    expect(parseError(xml(10_000))).toMatch(/FORMAT XML\) output nested 20002 elements deep, too deep to read as XML .* FORMAT JSON/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('refuses a YAML plan nested past what its reader can follow, saying so', () => {
    // js-yaml reads by recursive descent; 1,500 levels exhaust the stack. FORMAT JSON and XML read deeper plans.
    const lines = ['- Plan:', '    Node Type: "Limit"', '    Plans:'];
    for (let i = 0, sp = '      '; i < 1500; i++, sp += '    ') lines.push(`${sp}- Node Type: "Limit"`, `${sp}  Plans:`);
    expect(parseError(lines.join('\n'))).toMatch(/FORMAT YAML\) output, but it is nested too deeply to read/);
  });
});

describe('12. SQLite', () => {
  it('reads rows from sqlite3 before 3.24 with .header on, flat as printed', () => {
    const plan = parsePlan(lines('sqlite> .header on', 'sqlite> EXPLAIN QUERY PLAN SELECT * FROM t1, t2 WHERE t1.a=1;', 'selectid|order|from|detail', '0|0|0|SEARCH TABLE t1 USING INDEX i1 (a=?)', '0|1|1|SCAN TABLE t2', 'sqlite>'));
    expect(plan).toMatchObject({ dialect: 'sqlite', nodeCount: 2 });
    expect(plan.root.children.map((c) => c.nodeType)).toEqual(['SEARCH', 'SCAN']);
  });

  it('nests rows from 3.24 on by id and parent', () => {
    const plan = parsePlan(lines('id|parent|notused|detail', '4|0|0|MULTI-INDEX OR', '5|4|0|INDEX 1', '25|5|0|SEARCH books USING INTEGER PRIMARY KEY (rowid=?)'));
    expect(plan.root.children[0]!.children[0]!.children[0]!.relation).toBe('books');
  });

  it('reads a tree whose lines are all indented the same, and one after a sqlite> prompt', () => {
    const tree = ['QUERY PLAN', '|--SCAN t1', '`--SCALAR SUBQUERY 1', '   `--SCAN sub'];
    const indented = parsePlan(tree.map((l) => `  ${l}`).join('\n'));
    expect(indented.nodeCount).toBe(3);
    expect(indented.root.children[1]!.children[0]!.relation).toBe('sub');
    expect(parsePlan(lines('sqlite> explain query plan select (select x from t1 as sub) from t1;', ...tree, 'sqlite>')).nodeCount).toBe(3);
  });
});

describe('12. SQLite: the sqlite3 shell\'s output modes (.explain off)', () => {
  const header = ['id', 'parent', 'notused', 'detail'];
  const rows = [['4', '0', '0', 'MULTI-INDEX OR'], ['5', '4', '0', 'INDEX 1'], ['9', '5', '0', 'SEARCH t USING INDEX ta (a=?)'], ['20', '4', '0', 'INDEX 2'], ['22', '20', '0', 'SEARCH t USING INDEX tb (b=?)']];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const pad = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!));
  const rule = (l: string, m: string, r: string, h: string) => l + widths.map((w) => h.repeat(w + 2)).join(m) + r;
  const modes: Record<string, string[]> = {
    list: [header.join('|'), ...rows.map((r) => r.join('|'))],
    csv: [header.join(','), ...rows.map((r) => [...r.slice(0, 3), `"${r[3]}"`].join(','))],
    tabs: [header.join('\t'), ...rows.map((r) => r.join('\t'))],
    column: [pad(header).join('  '), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => pad(r).join('  '))],
    box: [rule('┌', '┬', '┐', '─'), `│ ${pad(header).join(' │ ')} │`, rule('├', '┼', '┤', '─'), ...rows.map((r) => `│ ${pad(r).join(' │ ')} │`), rule('└', '┴', '┘', '─')],
    table: [rule('+', '+', '+', '-'), `| ${pad(header).join(' | ')} |`, rule('+', '+', '+', '-'), ...rows.map((r) => `| ${pad(r).join(' | ')} |`), rule('+', '+', '+', '-')],
    markdown: [`| ${pad(header).join(' | ')} |`, rule('|', '|', '|', '-'), ...rows.map((r) => `| ${pad(r).join(' | ')} |`)],
    line: rows.flatMap((r, i) => [...(i ? [''] : []), ...header.map((h, j) => `${h.padStart(7)} = ${r[j]}`)]),
  };
  it.each(Object.entries(modes))('reads the rows in .mode %s, nested by id and parent, after a prompt', (_mode, text) => {
    const plan = parsePlan(lines('sqlite> explain query plan select * from t where a = 1 or b = 2;', ...text, 'sqlite> '));
    expect(plan).toMatchObject({ dialect: 'sqlite', nodeCount: 5, warnings: [] });
    expect(plan.root.children[0]!.children.map((c) => c.children[0]!.index)).toEqual(['ta', 'tb']);
  });

  it('reads the rows of shells before 3.24 (selectid|order|from|detail) flat, in column mode too', () => {
    const old = ['selectid  order  from  detail', '--------  -----  ----  ------------------------', '0         0      0     SEARCH TABLE t1 USING INDEX i1 (a=?)', '0         1      1     SCAN TABLE t2'];
    expect(parsePlan(old.join('\n'))).toMatchObject({ nodeCount: 2, root: { children: [{ nodeType: 'SEARCH', index: 'i1' }, { nodeType: 'SCAN', relation: 't2' }] } });
  });

  it('reads the tree .eqp on prints before the result, and says the result was left out', () => {
    const plan = parsePlan(lines('QUERY PLAN', '`--SEARCH t USING INTEGER PRIMARY KEY (rowid=?)', '42|answer|2024'));
    expect(plan).toMatchObject({ nodeCount: 1, warnings: ["one line after the plan (the statement's result, as .eqp on prints it) was left out"] });
    // A step after a stray line is a broken tree, not a result: refused as before.
    expect(() => parsePlan(lines('QUERY PLAN', '|--SCAN t', 'a stray line', '`--SCAN u'))).toThrow(/EXPLAIN QUERY PLAN tree .*looks like "a stray line"/);
  });
});

describe('no silent data loss', () => {
  it('names a JSON field it could not read, and leaves it out', () => {
    const value = JSON.parse(json()) as [{ Plan: Record<string, unknown> }];
    value[0].Plan['Actual Rows'] = 'many';
    value[0].Plan['Total Cost'] = 'NaN';
    const plan = parsePlan(JSON.stringify(value));
    expect(plan.root.actualRows).toBeUndefined();
    expect(plan.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/"Actual Rows" could not be read as a number on one node/), expect.stringMatching(/"Total Cost"/)]));
  });

  it('names text lines it could not read: costs, counts, times, stray lines', () => {
    const plan = parsePlan(lines('Seq Scan on t  (cost=xxx rows=1 width=4)', '  Rows Removed by Filter: lots', '  this line is not part of any plan', 'Execution Time: soon'));
    expect(plan.root.rowsRemovedByFilter).toBeUndefined();
    expect(plan.executionMs).toBeUndefined();
    expect(plan.warnings.join('\n')).toMatch(/3 lines of the plan could not be read[^\n]*Rows Removed by Filter: lots/);
    expect(plan.warnings.join('\n')).toMatch(/one node line had costs or actuals that could not be read/);
  });
});

describe('errors name what they saw', () => {
  it('names the format it read and the line that stopped it', () => {
    expect(parseError(lines('QUERY PLAN', '----------', ' hello', '(1 row)'))).toMatch(/read as text, line 1 looks like "hello", which is neither a plan node nor a psql header, frame or prompt/);
    expect(parseError('db=# explain select 1;')).toMatch(/line 1 \("db=# explain select 1;"\) is a prompt, header or frame, and no plan follows it/);
  });
});
