// Index candidates from the captured plans' findings: equality, then range, then ORDER BY; covering variants; none an
// existing index covers.
import { describe, expect, it } from 'vitest';
import { indexCandidates } from '../../../src/core/proof/candidates';
import type { Catalog } from '../../../src/core/schema/catalog';
import { parsePlan } from '../../../src/core/plan/parse';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { catalog, column, fk, index, table } from '../schema/catalogFixtures';
import { fixture, load } from '../plan/fixtures';

const cols = (...names: string[]) => names.map((n) => column(n));

function candidates(path: string, cat: Catalog | null, sql = '', dialect: 'postgres' | 'sqlite' = 'postgres') {
  const { plan, findings } = load(path);
  return indexCandidates({ plan, findings, catalog: cat, dialect, sql, include: dialect === 'postgres' });
}

const orders = table('orders', { columns: cols('id', 'customer_id', 'amount', 'note', 'created_at'), indexes: [index('orders_pkey', ['id'], { primary: true, unique: true }), index('orders_customer_id', ['customer_id'])] });

describe('indexCandidates', () => {
  it('seq-scan-filter: an index on the filtered column, in the table\'s schema', () => {
    const r = candidates('postgres/seq-scan-filter.analyze-buffers.json', catalog([orders]));
    expect(r.candidates.map((c) => c.statement)).toEqual(['CREATE INDEX CONCURRENTLY orders_note_idx ON public.orders (note)']);
    expect(r.candidates[0]!.source).toMatch(/^seq-scan-filter at #\d+$/);
    // Without a catalog the table is named as the plan names it.
    expect(candidates('postgres/seq-scan-filter.analyze-buffers.json', null).candidates[0]!.statement).toBe('CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note)');
  });

  it('skips a candidate an existing index already covers, and says which', () => {
    const covered = table('orders', { columns: orders.columns, indexes: [index('orders_note_amount', ['note', 'amount'])] });
    const r = candidates('postgres/seq-scan-filter.analyze-buffers.json', catalog([covered]));
    expect(r.candidates).toEqual([]);
    expect(r.skipped).toEqual([{ statement: 'CREATE INDEX CONCURRENTLY orders_note_idx ON public.orders (note)', coveredBy: 'orders_note_amount' }]);
  });

  it('index-filter: the index in use is covered; the range columns together, and the Filter\'s column alone', () => {
    const r = candidates('postgres/index-filter.analyze-buffers.json', catalog([orders]));
    expect(r.skipped.map((s) => s.coveredBy)).toEqual(['orders_customer_id']);
    expect(r.candidates.map((c) => c.columns)).toEqual([['customer_id', 'amount'], ['amount']]);
  });

  it('nested-loop-inner-scan: the inner table\'s join columns, from the join filter', () => {
    const customers = table('customers', { columns: cols('id', 'name', 'region') });
    const r = candidates('postgres/nested-loop-inner-scan.analyze-buffers.json', catalog([customers]));
    expect(r.candidates.map((c) => c.statement)).toContain('CREATE INDEX CONCURRENTLY customers_id_region_idx ON public.customers (id, region)');
  });

  it('trigger-time: the referencing columns of the foreign key, from the catalog', () => {
    const children = table('children', { columns: cols('id', 'parent_id', 'payload'), foreignKeys: [fk('children_parent_id_fkey', ['parent_id'], 'parents')] });
    const r = candidates('postgres/trigger-fk.analyze-buffers.json', catalog([table('parents'), children]));
    expect(r.candidates.map((c) => c.statement)).toEqual(['CREATE INDEX CONCURRENTLY children_parent_id_idx ON public.children (parent_id)']);
    expect(candidates('postgres/trigger-fk.analyze-buffers.json', null).candidates).toEqual([]);
  });

  it('a sort above the scan: equality then ORDER BY; VERBOSE output: a covering variant with INCLUDE', () => {
    const json = [
      {
        Plan: {
          'Node Type': 'Limit', 'Total Cost': 2000, 'Plan Rows': 20, Output: ['id', 'created_at'],
          Plans: [
            {
              'Node Type': 'Sort', 'Parent Relationship': 'Outer', 'Total Cost': 1999, 'Plan Rows': 50, 'Sort Key': ['o.created_at DESC'], Output: ['o.id', 'o.created_at'],
              Plans: [{ 'Node Type': 'Seq Scan', 'Parent Relationship': 'Outer', 'Relation Name': 'orders', Schema: 'public', Alias: 'o', 'Total Cost': 1900, 'Plan Rows': 50, Output: ['o.id', 'o.created_at'], Filter: '(o.customer_id = 42)' }],
            },
          ],
        },
      },
    ];
    const plan = parsePlan(json);
    const bare = table('orders', { columns: orders.columns });
    const r = indexCandidates({ plan, findings: analyzePlan(plan), catalog: catalog([bare]), dialect: 'postgres', sql: '', include: true });
    expect(r.candidates.map((c) => [c.columns, c.include])).toEqual([
      [['customer_id'], []],
      [['customer_id', 'created_at'], []],
      [['customer_id'], ['id', 'created_at']],
    ]);
    expect(r.candidates[2]!.statement).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_covering_idx ON public.orders (customer_id) INCLUDE (id, created_at)');
  });

  it('SQLite: a full scan gets the WHERE columns; an automatic index its condition', () => {
    const books = table('books', { columns: cols('id', 'author_id', 'title', 'year', 'price') });
    const full = candidates('sqlite/full-scan.rows.json', catalog([books], { dialect: 'sqlite' }), "select * from books where title = 'title 77'", 'sqlite');
    expect(full.candidates.map((c) => c.statement)).toEqual(['CREATE INDEX books_title_idx ON books (title)']);
    const reviews = table('reviews', { columns: cols('id', 'book_ref', 'stars') });
    const auto = candidates('sqlite/auto-index.rows.json', catalog([books, reviews], { dialect: 'sqlite' }), 'select b.title, r.stars from reviews r join books b on b.title = r.book_ref', 'sqlite');
    expect(auto.candidates.map((c) => c.statement)).toContain('CREATE INDEX reviews_book_ref_idx ON reviews (book_ref)');
    expect(fixture('sqlite/auto-index.tree.txt')).toMatch(/AUTOMATIC/);
  });

  it('no index finding, no candidate', () => {
    expect(candidates('postgres/pk-lookup.analyze-buffers.json', catalog([orders])).candidates).toEqual([]);
  });
});
