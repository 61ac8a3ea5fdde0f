// The Markdown report of a schema review: findings grouped by severity, then by rule, each with its object and fix.
// Database names and messages are data: they are escaped so they cannot add headings, links or HTML to the report,
// and each fix sits in a code fence longer than any backtick run inside it.
import type { Finding, Severity } from '../findings';
import { code, escapeMarkdown, fence } from '../markdown';
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

/** The catalog limited to one schema (the review command reads every schema once, then lets the user pick). */
export function restrictToSchema(catalog: Catalog, schema: string): Catalog {
  return { ...catalog, schemas: catalog.schemas.filter((s) => s === schema), tables: catalog.tables.filter((t) => t.schema === schema) };
}

/** Schemas that hold at least one table, in catalog order. */
export function schemasWithTables(catalog: Catalog): string[] {
  return catalog.schemas.filter((s) => catalog.tables.some((t) => t.schema === s));
}
