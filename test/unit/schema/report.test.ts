import { describe, expect, it } from 'vitest';
import { code, escapeMarkdown } from '../../../src/core/markdown';
import { restrictToSchema, schemaReportMarkdown, schemasWithTables } from '../../../src/core/schema/report';
import { reviewCatalog } from '../../../src/core/schema/review';
import { catalog, column, fk, table } from './catalogFixtures';

describe('schemaReportMarkdown', () => {
  const c = catalog([
    table('big', { primaryKey: null, indexes: [], rowEstimate: 3_000_000 }),
    table('orders', { columns: [column('id'), column('customer_id')], foreignKeys: [fk('f', ['customer_id'], 'customers')], rowEstimate: 50_000 }),
    table('logs', { columns: [column('id'), column('at', 'timestamp without time zone')] }),
  ]);
  const findings = reviewCatalog(c);

  it('groups findings by severity, then rule, each with its object and fix in a SQL fence', () => {
    const md = schemaReportMarkdown(c, findings, { connection: 'prod', schema: 'public' });
    expect(md).toContain('# Schema review: prod');
    expect(md).toContain('- PostgreSQL, schema `public`\n- 3 tables, 5 columns\n- 1 critical, 1 warning, 1 info\n- 5 catalog queries\n');
    const critical = md.indexOf('## Critical (1)');
    const warnings = md.indexOf('## Warnings (1)');
    const info = md.indexOf('## Information (1)');
    expect(critical).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(critical);
    expect(info).toBeGreaterThan(warnings);
    expect(md).toContain('### `no-primary-key` (1)');
    expect(md).toContain('- **`public.big`**: Table public.big has no primary key (~3.0M rows)');
    expect(md).toContain('  ```sql\n  CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders (customer_id);\n  ```');
  });

  it('says so when there is nothing to report', () => {
    expect(schemaReportMarkdown(catalog([table('ok')]), [], { connection: 'c' })).toContain('No findings: every rule passed.');
  });

  it('keeps hostile names from adding markup, and fences fixes that contain backticks', () => {
    const evil = table('x` <img src=x onerror=alert(1)> [link](http://e) ```', { primaryKey: null, indexes: [] });
    const md = schemaReportMarkdown(catalog([evil]), reviewCatalog(catalog([evil])), { connection: '# not a heading\nline' });
    expect(md).toContain('# Schema review: \\# not a heading line');
    // Outside code spans and fences, every markup character of the name is escaped.
    const prose = md.replace(/^ *(`{3,})sql\n[\s\S]*?\n *\1$/gm, '').replace(/(`+) [^\n]*? \1/g, '');
    expect(prose).not.toMatch(/(^|[^\\])<img/);
    expect(prose).not.toMatch(/(^|[^\\])\[link\]/);
    expect(prose).toContain('\\<img');
    expect(md).toContain('````sql');
    expect(escapeMarkdown('a*b_c <d> _e_ ~~f~~ [g](h) &lt;')).toBe('a\\*b_c \\<d\\> \\_e\\_ \\~~f\\~~ \\[g\\](h) &amp;lt;');
    expect(escapeMarkdown('# x')).toBe('\\# x');
    expect(code('a`b')).toBe('`` a`b ``');
  });

  it('caps the findings written per rule and counts the rest', () => {
    const many = catalog(Array.from({ length: 7 }, (_, k) => table(`t${k}`, { primaryKey: null, indexes: [] })));
    const md = schemaReportMarkdown(many, reviewCatalog(many), { connection: 'c', maxPerRule: 3 });
    expect(md.match(/^- \*\*/gm)).toHaveLength(3);
    expect(md).toContain('- … and 4 more `no-primary-key` findings.');
  });
});

describe('schema selection', () => {
  it('restricts a catalog to one schema and lists schemas that hold tables', () => {
    const c = catalog([table('a'), { ...table('b'), schema: 'sales' }], { schemas: ['empty', 'public', 'sales'] });
    expect(schemasWithTables(c)).toEqual(['public', 'sales']);
    const only = restrictToSchema(c, 'sales');
    expect(only.tables.map((t) => t.name)).toEqual(['b']);
    expect(only.schemas).toEqual(['sales']);
  });
});
