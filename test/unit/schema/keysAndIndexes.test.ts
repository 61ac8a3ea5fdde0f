import { describe, expect, it } from 'vitest';
import { duplicateIndex } from '../../../src/core/schema/rules/duplicateIndex';
import { fkWithoutIndex } from '../../../src/core/schema/rules/fkWithoutIndex';
import { noPrimaryKey } from '../../../src/core/schema/rules/noPrimaryKey';
import { nullableForeignKey } from '../../../src/core/schema/rules/nullableForeignKey';
import { redundantIndex } from '../../../src/core/schema/rules/redundantIndex';
import { unusedIndex } from '../../../src/core/schema/rules/unusedIndex';
import { catalog, column, fk, index, pkIndex, table } from './catalogFixtures';

const customers = table('customers');

describe('no-primary-key', () => {
  it('flags a table without a primary key, quoting an awkward name, and scales with rows', () => {
    const t = table('Order Lines', { primaryKey: null, indexes: [], columns: [column('sku', 'text')] });
    const [f] = noPrimaryKey.check(catalog([t]));
    expect(f).toMatchObject({ rule: 'no-primary-key', severity: 'warning', object: 'public."Order Lines"' });
    expect(f!.fix).toContain('ALTER TABLE public."Order Lines" ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;');
    const big = noPrimaryKey.check(catalog([{ ...t, rowEstimate: 5_000_000 }]));
    expect(big[0]!.severity).toBe('critical');
  });

  it('promotes a unique index over NOT NULL columns instead of adding a column', () => {
    const t = table('events', { primaryKey: null, columns: [column('uuid', 'uuid')], indexes: [index('events_uuid_key', ['uuid'], { unique: true })] });
    expect(noPrimaryKey.check(catalog([t]))[0]!.fix).toContain('ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_uuid_key;');
  });

  it('reviews a partitioned table once, as its parent', () => {
    const t = table('measurements', { kind: 'partitioned', partitionCount: 1000, primaryKey: null, indexes: [] });
    const findings = noPrimaryKey.check(catalog([t]));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toContain('1000 partitions');
    expect(findings[0]!.fix).toContain('partition key');
  });

  it('stays quiet for a table with a primary key', () => {
    expect(noPrimaryKey.check(catalog([customers]))).toEqual([]);
  });
});

describe('fk-without-index', () => {
  const orders = (extra: Parameters<typeof table>[1] = {}) =>
    table('orders', { columns: [column('id', 'bigint'), column('customer_id', 'bigint')], foreignKeys: [fk('orders_customer_fk', ['customer_id'], 'customers')], ...extra });

  it('flags an unindexed foreign key with CREATE INDEX CONCURRENTLY and scales severity with the child table', () => {
    const [f] = fkWithoutIndex.check(catalog([customers, orders()]));
    expect(f).toMatchObject({ rule: 'fk-without-index', severity: 'info', object: 'public.orders' });
    expect(f!.fix).toBe('CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);');
    expect(fkWithoutIndex.check(catalog([customers, orders({ rowEstimate: 50_000 })]))[0]!.severity).toBe('warning');
    expect(fkWithoutIndex.check(catalog([customers, orders({ rowEstimate: 2_000_000 })]))[0]!.severity).toBe('critical');
  });

  it('is satisfied by an index whose leading columns are the key columns in any order', () => {
    const t = table('lines', {
      columns: [column('id'), column('a'), column('b')],
      foreignKeys: [fk('lines_ab_fk', ['a', 'b'], 'parent', ['x', 'y'])],
      indexes: [pkIndex('lines', ['id']), index('lines_b_a_c', ['b', 'a', 'id'])],
    });
    expect(fkWithoutIndex.check(catalog([t]))).toEqual([]);
  });

  it('is not satisfied by a partial index, an index where the key is not leading, or a GIN index', () => {
    for (const idx of [
      index('p', ['customer_id'], { predicate: 'customer_id IS NOT NULL' }),
      index('late', ['id', 'customer_id']),
      index('g', ['customer_id'], { method: 'gin' }),
      index('invalid', ['customer_id'], { valid: false }),
    ]) {
      const t = orders({ indexes: [pkIndex('orders', ['id']), idx] });
      expect(fkWithoutIndex.check(catalog([customers, t])), idx.name).toHaveLength(1);
    }
  });

  it('does not use CONCURRENTLY on a partitioned table, which PostgreSQL refuses', () => {
    const [f] = fkWithoutIndex.check(catalog([customers, orders({ kind: 'partitioned', partitionCount: 3 })]));
    expect(f!.fix).toMatch(/^-- CONCURRENTLY is not supported[^\n]*\nCREATE INDEX orders_customer_id_idx ON public.orders \(customer_id\);$/);
  });

  it('quotes identifiers with capitals, spaces and quotes in the fix', () => {
    const t = table('Line "Items"', { columns: [column('id'), column('Order Id')], foreignKeys: [fk('f', ['Order Id'], 'orders')] });
    expect(fkWithoutIndex.check(catalog([t]))[0]!.fix).toBe('CREATE INDEX CONCURRENTLY "Line ""Items""_Order Id_idx" ON public."Line ""Items""" ("Order Id");');
  });
});

describe('nullable-foreign-key', () => {
  it('reports nullable key columns as information with SET NOT NULL', () => {
    const t = table('orders', { columns: [column('id'), column('customer_id', 'bigint', { nullable: true })], foreignKeys: [fk('f', ['customer_id'], 'customers')], indexes: [pkIndex('orders', ['id']), index('i', ['customer_id'])] });
    const [f] = nullableForeignKey.check(catalog([t]));
    expect(f).toMatchObject({ rule: 'nullable-foreign-key', severity: 'info', object: 'public.orders' });
    expect(f!.fix).toContain('ALTER TABLE public.orders ALTER COLUMN customer_id SET NOT NULL;');
  });

  it('stays quiet when every key column is NOT NULL', () => {
    const t = table('orders', { columns: [column('id'), column('customer_id')], foreignKeys: [fk('f', ['customer_id'], 'customers')] });
    expect(nullableForeignKey.check(catalog([t]))).toEqual([]);
  });
});

describe('duplicate-index', () => {
  it('keeps the constraint index and drops the plain duplicate concurrently', () => {
    const t = table('users', { columns: [column('id'), column('email', 'text')], indexes: [pkIndex('users', ['id']), index('users_email_key', ['email'], { unique: true, constraint: 'users_email_key' }), index('users_email_idx', ['email'])] });
    const [f, ...rest] = duplicateIndex.check(catalog([t]));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'duplicate-index', severity: 'warning', object: 'public.users_email_idx', fix: 'DROP INDEX CONCURRENTLY public.users_email_idx;' });
    expect(f!.evidence.duplicateOf).toBe('users_email_key');
  });

  it('does not confuse indexes that differ in method, predicate, sort order or INCLUDE columns', () => {
    const base = index('a', ['email']);
    const variants = [
      index('b', ['email'], { method: 'hash' }),
      index('c', ['email'], { predicate: 'deleted_at IS NULL' }),
      index('d', ['email'], { columnKeys: ['col:email|1978|0|3'] }),
      index('e', ['email'], { include: ['name'] }),
    ];
    const t = table('users', { indexes: [pkIndex('users', ['id']), base, ...variants] });
    expect(duplicateIndex.check(catalog([t]))).toEqual([]);
  });

  it('turns critical when the duplicate is huge', () => {
    const t = table('users', { indexes: [index('a', ['email']), index('b', ['email'], { sizeBytes: 2 * 1024 ** 3 })] });
    expect(duplicateIndex.check(catalog([t]))[0]).toMatchObject({ severity: 'critical', object: 'public.b' });
  });
});

describe('redundant-index', () => {
  it('flags a btree index that is a prefix of another', () => {
    const t = table('orders', { indexes: [pkIndex('orders', ['id']), index('orders_a', ['a']), index('orders_a_b', ['a', 'b'])] });
    const [f, ...rest] = redundantIndex.check(catalog([t]));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'redundant-index', severity: 'info', object: 'public.orders_a', fix: 'DROP INDEX CONCURRENTLY public.orders_a;' });
    expect(f!.evidence.coveredBy).toBe('orders_a_b');
  });

  it('never flags a unique index, a different predicate, a non-prefix or a non-btree index', () => {
    const t = table('orders', {
      indexes: [
        pkIndex('orders', ['id']),
        index('orders_a_b', ['a', 'b']),
        index('u', ['a'], { unique: true }),
        index('p', ['a'], { predicate: 'a > 0' }),
        index('not_prefix', ['b']),
        index('h', ['a'], { method: 'hash' }),
      ],
    });
    expect(redundantIndex.check(catalog([t]))).toEqual([]);
  });

  it('is a warning when the redundant index is large', () => {
    const t = table('orders', { indexes: [index('s', ['a'], { sizeBytes: 50 * 1024 ** 2 }), index('l', ['a', 'b'])] });
    expect(redundantIndex.check(catalog([t]))[0]!.severity).toBe('warning');
  });
});

describe('unused-index', () => {
  const t = table('orders', {
    columns: [column('id'), column('customer_id'), column('status', 'text')],
    foreignKeys: [fk('f', ['customer_id'], 'customers')],
    indexes: [
      { ...pkIndex('orders', ['id']), scans: 0 },
      index('orders_status', ['status'], { scans: 0, sizeBytes: 64 * 1024 ** 2 }),
      index('orders_customer', ['customer_id'], { scans: 0 }),
      index('orders_unique_x', ['status', 'id'], { scans: 0, unique: true }),
      index('orders_used', ['status', 'customer_id'], { scans: 12 }),
    ],
  });

  it('flags a never-scanned plain index, scaled by size, and not unique, PK or sole foreign-key indexes', () => {
    const findings = unusedIndex.check(catalog([t]));
    expect(findings.map((f) => f.object)).toEqual(['public.orders_status']);
    expect(findings[0]).toMatchObject({ severity: 'warning', fix: 'DROP INDEX CONCURRENTLY public.orders_status;' });
    expect(findings[0]!.message).toContain('since 2026-10-01');
  });

  it('says nothing when the database has no usage statistics', () => {
    expect(unusedIndex.check(catalog([t], { statsAvailable: false }))).toEqual([]);
  });
});
