// MySQL/MariaDB schema rules. Fixes are MySQL SQL (backtick identifiers, ALTER TABLE … MODIFY); ids are shared with the
// other engines where the concern is the same (`no-primary-key`, `int-key-overflow`).
import type { Finding } from '../../findings';
import type { Catalog, CatalogTable } from '../catalog';
import { mysqlIdent, tableSql } from '../quote';
import { KEY_OVERFLOW_CRITICAL_SHARE, KEY_OVERFLOW_WARNING_SHARE } from '../thresholds';
import type { SchemaRule } from './shared';
import { formatRows, makeFinding, tableEvidence, tableScale } from './shared';

const name = (t: CatalogTable): string => tableSql(t, 'mysql');

export const mysqlNoPrimaryKey: SchemaRule = {
  id: 'no-primary-key',
  dialects: ['mysql'],
  description: 'An InnoDB table without a primary key.',
  check(catalog: Catalog) {
    return catalog.tables
      .filter((t) => t.primaryKey === null)
      .map((t) =>
        makeFinding(
          'no-primary-key',
          tableScale(t) === 'large' ? 'critical' : 'warning',
          name(t),
          `Table ${name(t)} has no primary key (${formatRows(t.rowEstimate)}): InnoDB clusters it on a hidden row id shared by every such table on the server, row-based replication applies each UPDATE/DELETE with a full scan on replicas, and nothing stops duplicate rows.`,
          `ALTER TABLE ${name(t)} ADD COLUMN ${mysqlIdent(t.columns.some((c) => c.name === 'id') ? `${t.name}_id` : 'id')} BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY FIRST;`,
          tableEvidence(t),
        ),
      );
  },
};

export const mysqlMyisam: SchemaRule = {
  id: 'mysql-myisam',
  dialects: ['mysql'],
  description: 'A table on a non-transactional engine (MyISAM, Aria, MEMORY).',
  check(catalog: Catalog) {
    return catalog.tables
      .filter((t) => t.engine !== undefined && t.engine !== null && /^(myisam|aria|memory|merge|mrg_myisam)$/i.test(t.engine))
      .map((t) =>
        makeFinding(
          'mysql-myisam',
          'warning',
          name(t),
          `Table ${name(t)} uses ${t.engine}: no transactions (a ROLLBACK does not undo its changes, so ANALYZE of a write to it is not safe), table-level locks, and no crash recovery.`,
          `ALTER TABLE ${name(t)} ENGINE=InnoDB;`,
          { ...tableEvidence(t), engine: t.engine ?? null },
        ),
      );
  },
};

/** `utf8` is an alias of `utf8mb3` (three bytes: no emoji, no supplementary characters). */
const isUtf8mb3 = (charsetOrCollation: string | null | undefined): boolean => charsetOrCollation !== null && charsetOrCollation !== undefined && /^utf8(mb3)?(_|$)/i.test(charsetOrCollation);

export const mysqlUtf8mb3: SchemaRule = {
  id: 'mysql-utf8mb3',
  dialects: ['mysql'],
  description: 'Text stored as utf8/utf8mb3 rather than utf8mb4.',
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      const columns = t.columns.filter((c) => isUtf8mb3(c.charset)).map((c) => c.name);
      if (!columns.length && !isUtf8mb3(t.collation)) continue;
      out.push(
        makeFinding(
          'mysql-utf8mb3',
          'warning',
          name(t),
          `Table ${name(t)} stores text as utf8mb3 (${columns.length ? `columns ${columns.join(', ')}` : 'its default'}): characters outside the Basic Multilingual Plane (emoji, some CJK) are rejected or cut. Convert to utf8mb4.`,
          `ALTER TABLE ${name(t)} CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
          { ...tableEvidence(t), columns: columns.join(', '), collation: t.collation ?? null },
        ),
      );
    }
    return out;
  },
};

export const mysqlAutoIncrementOverflow: SchemaRule = {
  id: 'int-key-overflow',
  dialects: ['mysql'],
  description: `An AUTO_INCREMENT column past ${KEY_OVERFLOW_WARNING_SHARE * 100}% of its type's maximum.`,
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      for (const c of t.columns) {
        const last = c.sequence?.lastValue ?? null;
        const max = c.sequence?.maxValue ?? null;
        if (last === null || max === null || max <= 0) continue;
        const share = last / max;
        if (share < KEY_OVERFLOW_WARNING_SHARE) continue;
        out.push(
          makeFinding(
            'int-key-overflow',
            share >= KEY_OVERFLOW_CRITICAL_SHARE ? 'critical' : 'warning',
            name(t),
            `Column ${name(t)}.${mysqlIdent(c.name)} (${c.type}) is AUTO_INCREMENT at ${last} — ${(share * 100).toFixed(1)}% of its maximum ${max}. INSERTs fail with a duplicate-key error when it runs out.`,
            `-- Rebuilds the table (ALGORITHM=COPY); on a large table use an online schema change tool.\nALTER TABLE ${name(t)} MODIFY ${mysqlIdent(c.name)} BIGINT UNSIGNED NOT NULL AUTO_INCREMENT;`,
            { column: c.name, type: c.type, lastValue: last, typeMax: max, share: Math.round(share * 1000) / 1000 },
            share >= KEY_OVERFLOW_CRITICAL_SHARE ? 1 : 0,
          ),
        );
      }
    }
    return out;
  },
};

/** Column names that usually hold money. */
const moneyName = /(amount|price|cost|total|balance|fee|tax|salary|revenue|payment|charge|discount|money|eur|usd)/i;

export const mysqlFloatMoney: SchemaRule = {
  id: 'mysql-float-money',
  dialects: ['mysql'],
  description: 'FLOAT or DOUBLE for a column that holds money.',
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      const columns = t.columns.filter((c) => /^(float|double|real)\b/i.test(c.type) && moneyName.test(c.name));
      if (!columns.length) continue;
      out.push(
        makeFinding(
          'mysql-float-money',
          'warning',
          name(t),
          `Table ${name(t)} keeps money in binary floating point (${columns.map((c) => `${c.name} ${c.type}`).join(', ')}): 0.1 + 0.2 is not 0.3, and sums drift. Use DECIMAL.`,
          `ALTER TABLE ${name(t)} ${columns.map((c) => `MODIFY ${mysqlIdent(c.name)} DECIMAL(19,4)${c.nullable ? '' : ' NOT NULL'}`).join(', ')};`,
          { ...tableEvidence(t), columns: columns.map((c) => c.name).join(', ') },
        ),
      );
    }
    return out;
  },
};

export const mysqlSchemaRules: readonly SchemaRule[] = [mysqlNoPrimaryKey, mysqlMyisam, mysqlUtf8mb3, mysqlAutoIncrementOverflow, mysqlFloatMoney];
