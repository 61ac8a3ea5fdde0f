// Which catalog tables a statement is about, so the prompt's schema facts (src/core/schema/facts.ts) stay on topic.
import type { Catalog, CatalogTable } from '../schema/catalog';
import type { Dialect } from '../sql/dialect';
import { tokenize } from '../sql/lexer';

/** Lower-cased identifiers (words and quoted identifiers) that appear in the SQL. */
function identifiersIn(sql: string, dialect: Dialect): Set<string> {
  const out = new Set<string>();
  for (const t of tokenize(sql, dialect)) {
    if (t.kind === 'word') out.add(sql.slice(t.start, t.end).toLowerCase());
    else if (t.kind === 'quotedIdent') out.add(sql.slice(t.start + 1, t.end - 1).replace(/""/g, '"').toLowerCase());
  }
  return out;
}

/** The catalog tables whose (unqualified) name occurs as an identifier in the SQL. */
export function tablesMentioned(catalog: Catalog, sql: string, dialect: Dialect): CatalogTable[] {
  const ids = identifiersIn(sql, dialect);
  return catalog.tables.filter((t) => ids.has(t.name.toLowerCase()));
}
