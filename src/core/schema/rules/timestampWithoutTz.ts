// `timestamp-without-tz`: `timestamp without time zone` stores wall-clock time with no zone, so the same instant
// written from two session time zones compares wrong. `timestamptz` stores an instant. Information only.
import type { Finding } from '../../findings';
import type { Catalog } from '../catalog';
import { quoteIdent, tableSql } from '../quote';
import type { SchemaRule } from './shared';
import { makeFinding } from './shared';

const pattern = /^timestamp(\(\d+\))? without time zone$/;

export const timestampWithoutTz: SchemaRule = {
  id: 'timestamp-without-tz',
  dialects: ['postgres'],
  description: 'A `timestamp without time zone` column (use `timestamptz` for instants).',
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      for (const c of t.columns) {
        const m = pattern.exec(c.type);
        if (!m) continue;
        const table = tableSql(t, 'postgres');
        const col = quoteIdent(c.name);
        out.push(
          makeFinding(
            'timestamp-without-tz',
            'info',
            table,
            `Column ${table}.${col} is ${c.type}: it has no time zone, so instants written from different session time zones do not compare correctly.`,
            `-- Assumes the stored values are UTC; rewrites the table unless the session TimeZone is UTC (PostgreSQL 12+).\nALTER TABLE ${table} ALTER COLUMN ${col} TYPE timestamptz${m[1] ?? ''} USING ${col} AT TIME ZONE 'UTC';`,
            { column: c.name, type: c.type },
          ),
        );
      }
    }
    return out;
  },
};
