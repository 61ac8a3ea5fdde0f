// Schema facts for a prompt: the catalog entries of the tables a statement mentions, as compact text.
// Names and comments come from the database and are data; the prompt builder wraps this text in <schema_facts>.
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

function tableText(t: CatalogTable): string {
  const lines = [`table ${t.schema}.${t.name}${t.rowEstimate !== null ? ` (~${t.rowEstimate} rows)` : ''}${t.lastAnalyzed ? `, analyzed ${t.lastAnalyzed}` : t.rowEstimate === null ? ', never analyzed' : ''}`];
  if (t.comment) lines.push(`  comment: ${JSON.stringify(t.comment)}`);
  for (const c of t.columns) lines.push(`  ${c.name} ${c.type}${c.nullable ? '' : ' not null'}${c.default !== null ? ` default ${c.default}` : ''}`);
  if (t.primaryKey) lines.push(`  primary key (${t.primaryKey.join(', ')})`);
  for (const i of t.indexes) lines.push(`  index ${i.name}: ${i.definition}${i.scans !== null ? ` [${i.scans} scans]` : ''}`);
  for (const f of t.foreignKeys) lines.push(`  foreign key (${f.columns.join(', ')}) → ${f.referencedSchema}.${f.referencedTable}(${f.referencedColumns.join(', ')})`);
  return lines.join('\n');
}

/** Facts for the given tables, cut at roughly `budgetChars` so a wide schema cannot crowd out the question. */
export function schemaFactsText(tables: readonly CatalogTable[], budgetChars = 8000): string {
  const out: string[] = [];
  let used = 0;
  for (const t of tables) {
    const text = tableText(t);
    if (used + text.length > budgetChars && out.length) {
      out.push(`(${tables.length - out.length} more tables omitted to stay within the budget)`);
      break;
    }
    out.push(text);
    used += text.length;
  }
  return out.join('\n\n');
}
