// `varchar-length`: `varchar(n)` / `char(n)` in PostgreSQL. The length is a business rule disguised as a type:
// changing it later needs a table lock, `char(n)` pads with spaces, and `text` costs the same. `text` plus a CHECK
// keeps the rule and can be changed with NOT VALID + VALIDATE without blocking writes. Information only.
import type { Finding } from '../../findings';
import type { Catalog } from '../catalog';
import { quoteIdent, tableSql } from '../quote';
import { MAX_IDENTIFIER_BYTES } from '../thresholds';
import type { SchemaRule } from './shared';
import { makeFinding } from './shared';

const pattern = /^(character varying|character)\((\d+)\)$/;

function constraintName(table: string, column: string): string {
  const name = `${table}_${column}_length`;
  // Only ASCII names are kept whole without measuring bytes; anything else falls back to a short, safe name.
  return name.length <= MAX_IDENTIFIER_BYTES && /^\p{ASCII}*$/u.test(name) ? name : `${[...column].slice(0, 20).join('')}_length`;
}

export const varcharLength: SchemaRule = {
  id: 'varchar-length',
  dialects: ['postgres'],
  description: 'A `varchar(n)`/`char(n)` column where `text` with a CHECK constraint fits better.',
  check(catalog: Catalog) {
    const out: Finding[] = [];
    for (const t of catalog.tables) {
      for (const c of t.columns) {
        const m = pattern.exec(c.type);
        if (!m) continue;
        const table = tableSql(t, 'postgres');
        const col = quoteIdent(c.name);
        const check = quoteIdent(constraintName(t.name, c.name));
        const padded = m[1] === 'character';
        out.push(
          makeFinding(
            'varchar-length',
            'info',
            table,
            `Column ${table}.${col} is ${c.type}${padded ? ', which pads values with spaces' : ''}: text with a CHECK on char_length keeps the limit and can change it later without a rewrite.`,
            [
              `ALTER TABLE ${table} ALTER COLUMN ${col} TYPE text${padded ? ` USING rtrim(${col})` : ''};`,
              `ALTER TABLE ${table} ADD CONSTRAINT ${check} CHECK (char_length(${col}) <= ${m[2]}) NOT VALID;`,
              `ALTER TABLE ${table} VALIDATE CONSTRAINT ${check};`,
            ].join('\n'),
            { column: c.name, type: c.type, length: Number(m[2]) },
          ),
        );
      }
    }
    return out;
  },
};
