// DuckDB schema rules. DuckDB files are usually loaded from files (CSV, Parquet), and the types and keys that loading
// guessed stay: a key column nobody declared, dates kept as text, money as binary floating point. Each fix was checked
// to run on DuckDB 1.5 (ALTER TABLE … ADD PRIMARY KEY, ALTER COLUMN … SET DATA TYPE … USING).
import type { Catalog, CatalogColumn, CatalogTable } from '../catalog';
import { quoteIdent, tableSql } from '../quote';
import type { SchemaRule } from './shared';
import { formatRows, makeFinding, tableEvidence, tableScale } from './shared';

const integerOrUuid = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|UUID|INT\d*)$/i;

/** `orders` → `order`, `categories` → `category`: enough for the `<table>_id` naming convention. */
function singular(name: string): string {
  const lower = name.toLowerCase();
  if (lower.endsWith('ies')) return `${lower.slice(0, -3)}y`;
  if (lower.endsWith('ses')) return lower.slice(0, -2);
  return lower.endsWith('s') ? lower.slice(0, -1) : lower;
}

/** The column that names itself the table's key: `id`, `<table>_id` or `<singular>_id`, of an integer or UUID type. */
export function impliedKey(t: CatalogTable): CatalogColumn | undefined {
  const names = new Set(['id', `${t.name.toLowerCase()}_id`, `${singular(t.name)}_id`]);
  return t.columns.find((c) => names.has(c.name.toLowerCase()) && integerOrUuid.test(c.type));
}

export const duckdbNoPrimaryKey: SchemaRule = {
  id: 'duckdb-no-primary-key',
  dialects: ['duckdb'],
  description: 'A DuckDB table whose key column (id, <table>_id) is not declared as its primary key.',
  check(catalog: Catalog) {
    return catalog.tables.flatMap((t) => {
      if (t.primaryKey !== null || t.indexes.some((i) => i.unique)) return [];
      const key = impliedKey(t);
      if (!key) return [];
      const name = tableSql(t, 'duckdb');
      return [
        makeFinding(
          'duckdb-no-primary-key',
          tableScale(t) === 'large' ? 'warning' : 'info',
          name,
          `Table ${name} (${formatRows(t.rowEstimate)}) has a key column ${quoteIdent(key.name)} but no primary key: nothing stops duplicate or NULL keys, and joins on it cannot rely on uniqueness.`,
          `-- Fails if ${quoteIdent(key.name)} has duplicates or NULLs; find them first with: SELECT ${quoteIdent(key.name)}, count(*) FROM ${name} GROUP BY ALL HAVING count(*) > 1;\nALTER TABLE ${name} ADD PRIMARY KEY (${quoteIdent(key.name)});`,
          { ...tableEvidence(t), column: key.name },
        ),
      ];
    });
  },
};

/** Names that say a value is a date or a time: `created_at`, `order_date`, `signup_day`, `shipped_on`, `ts`. */
const dateName = /(^|_)(date|day|dt|ts|time|timestamp)$|_(at|on)$|^(date|timestamp)_/i;
const textType = /^(VARCHAR|TEXT|STRING|CHAR|BPCHAR)(\(\d+\))?$/i;

export const duckdbVarcharDate: SchemaRule = {
  id: 'duckdb-varchar-date',
  dialects: ['duckdb'],
  description: 'A date or time column stored as VARCHAR.',
  check(catalog: Catalog) {
    return catalog.tables.flatMap((t) =>
      t.columns
        .filter((c) => textType.test(c.type) && dateName.test(c.name))
        .map((c) => {
          const name = tableSql(t, 'duckdb');
          const target = /(_at|time|timestamp|ts)$/i.test(c.name) ? 'TIMESTAMP' : 'DATE';
          return makeFinding(
            'duckdb-varchar-date',
            'warning',
            `${name}.${quoteIdent(c.name)}`,
            `Column ${quoteIdent(c.name)} of ${name} looks like a ${target.toLowerCase()} but is ${c.type}: comparisons and ORDER BY are by text, ranges cannot skip row groups by min/max, and malformed values go unnoticed.`,
            `-- Fails on a value that is not a ${target.toLowerCase()}; for another format use strptime(${quoteIdent(c.name)}, '%d/%m/%Y').\nALTER TABLE ${name} ALTER COLUMN ${quoteIdent(c.name)} SET DATA TYPE ${target} USING CAST(${quoteIdent(c.name)} AS ${target});`,
            { ...tableEvidence(t), column: c.name, type: c.type },
          );
        }),
    );
  },
};

const moneyName = /(^|_)(price|amount|cost|total|revenue|balance|fee|fees|salary|tax|payment|paid|charge|discount|subtotal|money|usd|eur)(_|$)/i;
const floatType = /^(DOUBLE|FLOAT|REAL|FLOAT4|FLOAT8)$/i;

export const duckdbDoubleMoney: SchemaRule = {
  id: 'duckdb-double-money',
  dialects: ['duckdb'],
  description: 'A money column stored as DOUBLE or FLOAT.',
  check(catalog: Catalog) {
    return catalog.tables.flatMap((t) =>
      t.columns
        .filter((c) => floatType.test(c.type) && moneyName.test(c.name))
        .map((c) => {
          const name = tableSql(t, 'duckdb');
          return makeFinding(
            'duckdb-double-money',
            'warning',
            `${name}.${quoteIdent(c.name)}`,
            `Column ${quoteIdent(c.name)} of ${name} holds money as ${c.type}: binary floating point cannot represent most cents exactly, so sums drift (0.1 + 0.2 ≠ 0.3).`,
            `ALTER TABLE ${name} ALTER COLUMN ${quoteIdent(c.name)} SET DATA TYPE DECIMAL(18, 2);`,
            { ...tableEvidence(t), column: c.name, type: c.type },
          );
        }),
    );
  },
};
