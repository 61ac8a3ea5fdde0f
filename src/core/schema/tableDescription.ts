// One table described: what `Database.describeTable` returns on every driver and what the describe_table tool shows.
// The text form keeps database text as data (it is quoted as written) and, with redaction on, leaves out every literal
// the catalog holds (defaults, CHECK constraints, partial-index predicates) and never carries most-common values. Pure.
import { formatBytes } from './rules/shared';
import { redactLiterals } from '../sql/redact';
import type { Dialect } from '../sql/dialect';

export interface DescribedColumn {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  /** Part of the primary key. */
  primaryKey: boolean;
  stats: {
    nDistinct: number | null;
    nullFrac: number | null;
    correlation: number | null;
    /** Only when asked for (redaction off); the database's own text form of each value. */
    mostCommonValues: string[] | null;
    mostCommonFreqs: number[] | null;
  } | null;
}

export interface DescribedIndex {
  name: string;
  /** CREATE INDEX … as the database gives it (SQLite: as written). */
  definition: string;
  unique: boolean;
  primary: boolean;
  bytes: number | null;
  scans: number | null;
}

export interface DescribedConstraint {
  name: string;
  kind: 'primary key' | 'unique' | 'foreign key' | 'check' | 'exclusion' | 'not null' | 'other';
  definition: string;
}

export interface TableDescription {
  dialect: Dialect;
  schema: string;
  name: string;
  /** table, partitioned table, view, materialized view, foreign table. */
  kind: string;
  rowEstimate: number | null;
  /** Whole relation: heap, indexes, TOAST. */
  totalBytes: number | null;
  tableBytes: number | null;
  lastAnalyze: string | null;
  lastAutoanalyze: string | null;
  lastVacuum: string | null;
  lastAutovacuum: string | null;
  comment: string | null;
  columns: DescribedColumn[];
  indexes: DescribedIndex[];
  constraints: DescribedConstraint[];
  /** What could not be read, and why (no statistics yet, no dbstat on SQLite…). */
  notes: string[];
}

export interface DescribeOptions {
  signal?: AbortSignal;
  /** Read most-common values too (only when literal redaction is off). Default false. */
  mostCommonValues?: boolean;
}

/**
 * A schema-qualified or bare name, with quoted parts: `public.orders`, `"My Schema"."Order"`, `orders`. `quotes` are
 * the characters that may quote a part (MySQL: `` ` `` and `"`); a quote inside is written twice.
 */
export function parseTableName(text: string, quotes = '"'): { schema?: string; name: string } | null {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    const open = s[i]!;
    if (quotes.includes(open)) {
      let j = i + 1;
      let part = '';
      for (;;) {
        if (j >= s.length) return null;
        if (s[j] === open) {
          if (s[j + 1] === open) {
            part += open;
            j += 2;
            continue;
          }
          break;
        }
        part += s[j];
        j++;
      }
      parts.push(part);
      i = j + 1;
    } else {
      let j = i;
      while (j < s.length && s[j] !== '.') j++;
      const raw = s.slice(i, j).trim();
      if (!raw || /\s/.test(raw) || [...quotes].some((q) => raw.includes(q))) return null;
      parts.push(raw);
      i = j;
    }
    if (i < s.length) {
      if (s[i] !== '.') return null;
      i++;
      if (i >= s.length) return null;
    }
  }
  if (parts.length === 1) return { name: parts[0]! };
  if (parts.length === 2) return { schema: parts[0]!, name: parts[1]! };
  return null;
}

const num = (n: number): string => Math.round(n).toLocaleString('en-US');

function statsText(c: DescribedColumn, redact: boolean): string {
  const s = c.stats;
  if (!s) return '';
  const parts: string[] = [];
  if (s.nDistinct !== null) parts.push(`n_distinct=${s.nDistinct < 0 ? `${Number(s.nDistinct.toPrecision(3))} (negative: a fraction of the rows, ${Math.round(-s.nDistinct * 100)}% distinct)` : num(s.nDistinct)}`);
  if (s.nullFrac !== null) parts.push(`null_frac=${s.nullFrac.toFixed(3)}`);
  if (s.correlation !== null) parts.push(`correlation=${s.correlation.toFixed(3)}`);
  if (!redact && s.mostCommonValues?.length) {
    const freqs = s.mostCommonFreqs ?? [];
    const shown = s.mostCommonValues.slice(0, 5).map((v, i) => `${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}${freqs[i] !== undefined ? ` ${(freqs[i] * 100).toFixed(1)}%` : ''}`);
    parts.push(`most common: ${shown.join(', ')}${s.mostCommonValues.length > 5 ? ` (+${s.mostCommonValues.length - 5} more)` : ''}`);
  }
  return parts.join(', ');
}

/** The model's view of a table: compact lines, database text quoted as written (or redacted). */
export function formatTableDescription(d: TableDescription, options: { redact: boolean }): string {
  const sql = (text: string): string => (options.redact ? redactLiterals(text, d.dialect) : text);
  const q = (name: string): string => JSON.stringify(name);
  const lines: string[] = [];
  lines.push(`${d.kind} ${q(d.schema)}.${q(d.name)} (${d.dialect})`);
  const sizes = [
    d.rowEstimate !== null ? `about ${num(d.rowEstimate)} rows` : 'row count unknown (never analyzed)',
    d.totalBytes !== null ? `total ${formatBytes(d.totalBytes)}` : null,
    d.tableBytes !== null ? `table ${formatBytes(d.tableBytes)}` : null,
  ].filter(Boolean);
  lines.push(sizes.join(', '));
  if (d.dialect === 'postgres') {
    const when = (v: string | null): string => v ?? 'never';
    lines.push(`last analyze ${when(d.lastAnalyze)}, autoanalyze ${when(d.lastAutoanalyze)}; last vacuum ${when(d.lastVacuum)}, autovacuum ${when(d.lastAutovacuum)}`);
  } else if (d.lastAnalyze !== null) {
    lines.push(`statistics last updated ${d.lastAnalyze}`);
  }
  if (d.comment && !options.redact) lines.push(`comment: ${JSON.stringify(d.comment)}`);
  lines.push('', `columns (${d.columns.length}):`);
  for (const c of d.columns) {
    const attrs = [c.type, c.nullable ? 'null' : 'not null', c.primaryKey ? 'primary key' : null, c.default !== null ? `default ${sql(c.default)}` : null].filter(Boolean).join(', ');
    const stats = statsText(c, options.redact);
    lines.push(`  ${q(c.name)} ${attrs}${stats ? ` | ${stats}` : ''}`);
  }
  lines.push('', `indexes (${d.indexes.length}):`);
  if (!d.indexes.length) lines.push('  none');
  for (const i of d.indexes) {
    const extra = [i.bytes !== null ? formatBytes(i.bytes) : null, i.scans !== null ? `${num(i.scans)} scans` : null].filter(Boolean).join(', ');
    lines.push(`  ${sql(i.definition)}${extra ? ` (${extra})` : ''}`);
  }
  lines.push('', `constraints (${d.constraints.length}):`);
  if (!d.constraints.length) lines.push('  none');
  for (const c of d.constraints) lines.push(`  ${q(c.name)} ${c.kind}: ${sql(c.definition)}`);
  if (d.notes.length) lines.push('', ...d.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}
