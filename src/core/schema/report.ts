// The Markdown report of a schema review: findings grouped by severity, then by rule, each with its object and fix.
// Database names and messages are data: they are escaped so they cannot add headings, links or HTML to the report,
// and each fix sits in a code fence longer than any backtick run inside it.
import type { Finding, Severity } from '../findings';
import type { Catalog } from './catalog';

export interface ReportOptions {
  /** The connection's name, shown in the title. */
  connection: string;
  /** The schema reviewed, or undefined for every schema. */
  schema?: string;
  /** At most this many findings of one rule and severity are written out; the rest are counted. */
  maxPerRule?: number;
}

const sections: readonly { severity: Severity; title: string }[] = [
  { severity: 'critical', title: 'Critical' },
  { severity: 'warning', title: 'Warnings' },
  { severity: 'info', title: 'Information' },
];

export function schemaReportMarkdown(catalog: Catalog, findings: readonly Finding[], options: ReportOptions): string {
  const maxPerRule = options.maxPerRule ?? 50;
  const columns = catalog.tables.reduce((n, t) => n + t.columns.length, 0);
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const scope = options.schema !== undefined ? `schema ${code(options.schema)}` : catalog.dialect === 'sqlite' ? 'the database' : 'all schemas';
  // Short summary lines: the report opens as Markdown source, often in a narrow editor beside the SQL.
  const lines = [
    `# Schema review: ${escapeMarkdown(options.connection)}`,
    '',
    `- ${catalog.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${scope}`,
    `- ${catalog.tables.length} tables, ${columns} columns`,
    `- ${count('critical')} critical, ${count('warning')} warning, ${count('info')} info`,
    `- ${catalog.queryCount} catalog queries`,
  ];
  if (findings.length === 0) lines.push('', 'No findings: every rule passed.');
  for (const { severity, title } of sections) {
    const group = findings.filter((f) => f.severity === severity);
    if (!group.length) continue;
    lines.push('', `## ${title} (${group.length})`);
    const byRule = new Map<string, Finding[]>();
    for (const f of group) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
    for (const [rule, list] of byRule) {
      lines.push('', `### ${code(rule)} (${list.length})`);
      for (const f of list.slice(0, maxPerRule)) {
        lines.push('', `- **${code(f.object ?? '(database)')}**: ${escapeMarkdown(f.message)}`);
        if (f.fix) lines.push('', ...fence(f.fix).map((l) => `  ${l}`));
      }
      if (list.length > maxPerRule) lines.push('', `- … and ${list.length - maxPerRule} more ${code(rule)} findings.`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Inline code that survives backticks in the text (CommonMark: a longer delimiter run, padded with spaces). */
export function code(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return longest ? `${ticks} ${flat} ${ticks}` : `${ticks}${flat}${ticks}`;
}

/**
 * Escapes what could turn data into markup: HTML, links and images, code spans, emphasis and table pipes. Dots,
 * hyphens and parentheses stay readable (with `[` escaped no link can form), and an underscore inside a word
 * (snake_case) is literal in CommonMark, so only underscores at word edges are escaped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*[\]<>|]|~(?=~)/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/(^|[^A-Za-z0-9])_|_(?=[^A-Za-z0-9]|$)/g, (m) => m.replace('_', '\\_'))
    .replace(/^([#>+-])/, '\\$1');
}

function fence(sql: string): string[] {
  const longest = Math.max(2, ...[...sql.matchAll(/`+/g)].map((m) => m[0].length));
  const marker = '`'.repeat(longest + 1);
  return [`${marker}sql`, ...sql.split('\n'), marker];
}

/** The catalog limited to one schema (the review command reads every schema once, then lets the user pick). */
export function restrictToSchema(catalog: Catalog, schema: string): Catalog {
  return { ...catalog, schemas: catalog.schemas.filter((s) => s === schema), tables: catalog.tables.filter((t) => t.schema === schema) };
}

/** Schemas that hold at least one table, in catalog order. */
export function schemasWithTables(catalog: Catalog): string[] {
  return catalog.schemas.filter((s) => catalog.tables.some((t) => t.schema === s));
}
