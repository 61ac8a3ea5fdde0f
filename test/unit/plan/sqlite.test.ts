import { describe, expect, it } from 'vitest';
import { preorder } from '../../../src/core/plan/model';
import { parsePlan } from '../../../src/core/plan/parse';
import { fixture, fixtureFiles, load, rulesOf } from './fixtures';

describe('SQLite EXPLAIN QUERY PLAN', () => {
  it.each(fixtureFiles('sqlite'))('%s parses as a SQLite plan', (file) => {
    const plan = parsePlan(fixture(file));
    expect(plan.dialect).toBe('sqlite');
    expect(plan.format).toBe(file.endsWith('.tree.txt') ? 'tree' : 'rows');
    expect(plan.nodeCount).toBe(preorder(plan.root).length - 1);
  });

  it('builds the same tree from object rows and array rows', () => {
    for (const name of ['auto-index', 'compound', 'correlated-subquery', 'temp-btree']) {
      const a = preorder(parsePlan(fixture(`sqlite/${name}.rows.json`)).root).map((n) => [n.id, n.detail]);
      const b = preorder(parsePlan(fixture(`sqlite/${name}.arrays.json`)).root).map((n) => [n.id, n.detail]);
      expect(b).toEqual(a);
    }
  });

  it("nests the sqlite3 shell's tree by its |-- and `-- markers", () => {
    const plan = parsePlan(fixture('sqlite/compound.tree.txt'));
    const [compound] = plan.root.children;
    expect(compound!.detail).toBe('COMPOUND QUERY');
    expect(compound!.children.map((c) => c.detail)).toEqual(['LEFT-MOST SUBQUERY', 'UNION USING TEMP B-TREE']);
    expect(compound!.children[0]!.children[0]).toMatchObject({ nodeType: 'SEARCH', relation: 'authors', index: '(primary key)' });
  });

  it('reads old shells that print selectid|order|from|detail rows', () => {
    const plan = parsePlan('0|0|0|SCAN TABLE books\n0|0|0|USE TEMP B-TREE FOR ORDER BY\n');
    expect(plan.root.children.map((c) => c.nodeType)).toEqual(['SCAN', 'USE TEMP B-TREE']);
    expect(plan.root.children[0]!.relation).toBe('books');
  });

  it('says what it expected for malformed rows or tree lines', () => {
    expect(() => parsePlan([{ id: 1, parent: 0, detail: 'SCAN t' }, { foo: 1 }])).toThrow(/row 2 is \{"foo":1\}/);
    expect(() => parsePlan('QUERY PLAN\nthis is not a tree', { dialect: 'sqlite' })).toThrow(/expected SQLite EXPLAIN QUERY PLAN/);
  });
});

describe('SQLite rules on plans from real database files', () => {
  const cases: [rule: string, name: string][] = [
    ['sqlite-full-scan', 'full-scan'],
    ['sqlite-temp-btree', 'temp-btree'],
    ['sqlite-auto-index', 'auto-index'],
    ['sqlite-correlated-subquery', 'correlated-subquery'],
  ];
  for (const [rule, name] of cases) {
    for (const form of ['rows.json', 'arrays.json', 'tree.txt']) {
      it(`${rule} fires on ${name}.${form}`, () => {
        expect(rulesOf(load(`sqlite/${name}.${form}`).findings)).toContain(rule);
      });
    }
  }

  it('treats a scan inside a correlated subquery as repeated, hence critical', () => {
    const { findings } = load('sqlite/correlated-subquery.tree.txt');
    const inner = findings.find((f) => f.rule === 'sqlite-full-scan' && f.evidence.table === 'b')!;
    expect(inner.severity).toBe('critical');
    expect(inner.evidence.repeated).toBe(true);
  });

  for (const name of ['pk-lookup', 'index-range-limit']) {
    for (const form of ['rows.json', 'arrays.json', 'tree.txt']) {
      it(`healthy ${name}.${form} has no findings`, () => {
        expect(load(`sqlite/${name}.${form}`).findings).toEqual([]);
      });
    }
  }
});
