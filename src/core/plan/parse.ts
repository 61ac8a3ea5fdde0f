// parsePlan: one entry point for every plan shape users paste, with format detection and specific errors.
import type { Dialect } from '../sql/dialect';
import type { Plan } from './model';
import { PlanParseError } from './model';
import { looksLikeDuckdbJson, parseDuckdbJson } from './duckdbJson';
import { looksLikeMysqlJson, parseMysqlJson } from './mysqlJson';
import { looksLikeMysqlTree, parseMysqlTree } from './mysqlTree';
import { looksLikePgJson, parsePgJson } from './pgJson';
import { cleanPaste } from './paste';
import { documentReaders } from './documentReaders';
import { isNodeLine, parsePgText } from './pgText';
import { looksLikeSqliteRows, looksLikeSqliteTree, parseSqliteRows, parseSqliteTree, sqliteRowsPlan } from './sqlite';
import { readShellRows } from './sqliteModes';

export interface ParseHint {
  dialect?: Dialect;
  format?: 'json' | 'text' | 'xml' | 'yaml';
}

const expected = 'expected PostgreSQL EXPLAIN output (text, JSON, XML or YAML) or SQLite EXPLAIN QUERY PLAN';

/** The first character that is not whitespace in any line. */
function firstNonBlank(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const m = /\S/.exec(l);
    if (m) return m[0];
  }
  return undefined;
}

function fromValue(value: unknown, hint: ParseHint): Plan {
  if (looksLikeDuckdbJson(value)) {
    if (hint.dialect !== undefined && hint.dialect !== 'duckdb') throw new PlanParseError(`expected ${hint.dialect === 'sqlite' ? 'SQLite' : hint.dialect === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'} EXPLAIN output, but this is DuckDB EXPLAIN (FORMAT JSON) output`);
    return parseDuckdbJson(value);
  }
  if (looksLikeMysqlJson(value)) {
    if (hint.dialect !== undefined && hint.dialect !== 'mysql') throw new PlanParseError(`expected ${hint.dialect === 'sqlite' ? 'SQLite' : hint.dialect === 'duckdb' ? 'DuckDB' : 'PostgreSQL'} EXPLAIN output, but this is MySQL/MariaDB EXPLAIN FORMAT=JSON output`);
    return parseMysqlJson(value);
  }
  if (looksLikePgJson(value)) {
    if (hint.dialect === 'sqlite') throw new PlanParseError('expected SQLite EXPLAIN QUERY PLAN, but this is PostgreSQL EXPLAIN (FORMAT JSON) output');
    return parsePgJson(value);
  }
  if (looksLikeSqliteRows(value)) {
    if (hint.dialect === 'postgres') throw new PlanParseError('expected PostgreSQL EXPLAIN output, but these are SQLite EXPLAIN QUERY PLAN rows');
    return parseSqliteRows(value as unknown[]);
  }
  const shape = Array.isArray(value) ? `an array whose first item is ${describe(value[0])}` : describe(value);
  throw new PlanParseError(`${expected}; the JSON is ${shape}, not [{"Plan": {...}}] or rows of {id, parent, notused, detail}`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') {
    const keys = Object.keys(v).slice(0, 4);
    return keys.length ? `an object with keys ${keys.map((k) => JSON.stringify(k)).join(', ')}` : 'an empty object';
  }
  return `a ${typeof v}`;
}

function parseJsonText(text: string, hint: ParseHint, notes: readonly string[] = []): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw jsonError(err as Error, hint);
  }
  return withNotes(fromValue(value, hint), notes);
}

function jsonError(err: Error, hint: ParseHint): PlanParseError {
  const why = hint.format === 'json' ? 'the format was given as JSON but the input does not parse' : 'the input looks like JSON but does not parse';
  return new PlanParseError(`${why} (${err.message}); ${expected}`);
}

function withNotes(plan: Plan, notes: readonly string[]): Plan {
  return notes.length ? { ...plan, warnings: [...notes, ...plan.warnings] } : plan;
}

function looksLikePgText(lines: readonly string[]): boolean {
  if (lines.some((l) => /\(cost=[\d.]+\.\.[\d.]+ rows=\d+ width=\d+\)|\(actual (?:time|rows)=|^\s*->\s+\S/.test(l))) return true;
  // COSTS OFF with a single node: the first line is a node's name.
  const first = lines.find((l) => l.trim() !== '');
  return first !== undefined && isNodeLine(first.trim());
}

/** Names what the input looked like and the line that stopped it; never quotes a plan line as the reason. */
function notAPlan(lines: readonly string[]): PlanParseError {
  const i = lines.findIndex((l) => l.trim() !== '');
  if (i === -1) return new PlanParseError(`${expected}; the input is empty`);
  const line = lines[i]!.trim();
  const sql = /^(select|with|insert|update|delete|merge|explain|create|alter|values|table)\b/i.test(line);
  if (sql) return new PlanParseError(`${expected}; line ${i + 1} looks like a SQL statement, not its plan (run EXPLAIN on it and paste the output)`);
  return new PlanParseError(`${expected}; read as text, line ${i + 1} looks like "${line.slice(0, 80)}", which is neither a plan node nor a psql header, frame or prompt`);
}

function looksLikePgXml(text: string): boolean {
  return /^\s*(?:<\?xml[^>]{0,200}>\s*)?<explain[\s>]/.test(text.slice(0, 512));
}

/** PostgreSQL's YAML starts with `- Plan:` (one item per query); a bare node starts with `Node Type:`. */
function looksLikePgYaml(firstLine: string): boolean {
  const t = firstLine.trim();
  return /^-? ?Plan: *$/.test(t) || /^-? ?Node Type: /.test(t);
}

/** The XML or YAML reader, or an error naming the format when this build has none installed. */
function reader(format: 'xml' | 'yaml'): (text: string) => unknown {
  const readers = documentReaders();
  if (!readers) throw new PlanParseError(`this is PostgreSQL EXPLAIN (FORMAT ${format.toUpperCase()}) output, which this part of the product does not read; use FORMAT JSON or TEXT`);
  return readers[format];
}

function isXmlStart(first: string | undefined, lines: readonly string[]): boolean {
  if (first !== '<') return false;
  const i = lines.findIndex((l) => l.trim() !== '');
  return looksLikePgXml(lines.slice(i, i + 3).join('\n'));
}

/** Parses a plan in any supported shape; `input` may also be an already-parsed JSON value or a row array. */
export function parsePlan(input: unknown, hint: ParseHint = {}): Plan {
  if (typeof input !== 'string') return fromValue(input, hint);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const head = text.length > 4096 ? text.slice(0, 4096) : text;
  const first = /\S/.exec(head)?.[0];
  let rawJsonError: Error | undefined;
  // Fast path: raw JSON goes straight to JSON.parse with no line splitting, which matters for tens of megabytes. A
  // session that starts with a `[1234](…)db=#` prompt also starts with `[`: when JSON.parse fails, clean it as a paste.
  if (hint.format === 'json' || (hint.format === undefined && (first === '[' || first === '{'))) {
    let value: unknown;
    let parsed = true;
    try {
      value = JSON.parse(first === '{' && head.includes('"query_block"') ? withoutEndMarkers(text) : text);
    } catch (err) {
      parsed = false;
      rawJsonError = err as Error;
    }
    if (parsed) return fromValue(value, hint);
  }
  if ((hint.format === undefined || hint.format === 'xml') && first === '<' && looksLikePgXml(head)) return fromXml(text, hint, []);
  // The sqlite3 shell's rows under their header, in any of its output modes: read before the psql cleanup, which would
  // take a column-mode header and its rule for psql's.
  if (hint.dialect !== 'postgres' && hint.format === undefined && head.includes('detail')) {
    const shell = readShellRows(text.split(/\r?\n/));
    if (shell) return shellPlan(shell.rows, shell.old, shell.leftOut);
  }
  if (hint.dialect !== 'postgres' && hint.dialect !== 'sqlite' && looksLikeMysqlTree(text)) return parseMysqlTree(text);
  const { lines, notes } = cleanPaste(text);
  const start = firstNonBlank(lines);
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  if (hint.format === 'json' || (hint.format === undefined && (start === '[' || start === '{'))) {
    const joined = lines.join('\n');
    // When cleaning changed nothing, the text has already failed JSON.parse once: say so without parsing it again.
    if (rawJsonError && joined === text.trimEnd()) throw jsonError(rawJsonError, hint);
    return parseJsonText(joined, hint, notes);
  }
  if (hint.format === 'xml' || (hint.format === undefined && isXmlStart(start, lines))) return fromXml(lines.join('\n'), hint, notes);
  if (hint.format === 'yaml' || (hint.format === undefined && looksLikePgYaml(firstLine))) {
    const value = reader('yaml')(lines.join('\n'));
    if (!looksLikePgJson(value)) throw new PlanParseError(`${expected}; the YAML reads, but holds no "Plan" with a "Node Type"`);
    return withNotes(forDialect(parsePgJson(value, 'yaml'), hint), notes);
  }
  if (hint.dialect !== 'postgres' && looksLikeSqliteTree(lines)) return withNotes(parseSqliteTree(lines), notes);
  if (hint.dialect === 'sqlite') {
    const i = lines.findIndex((l) => l.trim() !== '' && l.trim() !== 'QUERY PLAN');
    throw new PlanParseError(`expected SQLite EXPLAIN QUERY PLAN (rows or the sqlite3 shell's tree); line ${i + 1} looks like "${(lines[i] ?? '').trim().slice(0, 80)}"`);
  }
  if (looksLikePgText(lines)) return parsePgText(lines, notes);
  if (firstNonBlank(lines) === undefined && first !== undefined) {
    // Something was pasted, but only what surrounds a plan: a prompt and its statement, a header, a frame.
    const line = text.split('\n').find((l) => l.trim() !== '')!.trim();
    throw new PlanParseError(`${expected}; line 1 ("${line.slice(0, 80)}") is a prompt, header or frame, and no plan follows it`);
  }
  throw notAPlan(lines);
}

/**
 * MySQL with `end_markers_in_json=on` closes objects and arrays with comments (a `}` followed by `/* table *` + `/`), which JSON does not
 * allow; they follow a `}` or `]` and hold no quote or star, so removing them never touches a string.
 */
function withoutEndMarkers(text: string): string {
  return text.includes('/*') ? text.replace(/([}\]])[ \t]*\/\*[^*"\n]*\*\//g, '$1') : text;
}

function shellPlan(rows: Parameters<typeof sqliteRowsPlan>[0], old: boolean, leftOut: number): Plan {
  const warnings = leftOut ? [`${leftOut === 1 ? 'one line' : `${leftOut} lines`} after the plan's rows ${leftOut === 1 ? 'was' : 'were'} left out`] : [];
  return sqliteRowsPlan(rows, !old, warnings);
}

function forDialect(plan: Plan, hint: ParseHint): Plan {
  if (hint.dialect === 'sqlite') throw new PlanParseError(`expected SQLite EXPLAIN QUERY PLAN, but this is PostgreSQL EXPLAIN (FORMAT ${plan.format.toUpperCase()}) output`);
  return plan;
}

function fromXml(text: string, hint: ParseHint, notes: readonly string[]): Plan {
  const value = reader('xml')(text);
  if (!looksLikePgJson(value)) throw new PlanParseError(`${expected}; the XML reads, but its <explain> holds no <Plan> with a <Node-Type>`);
  return withNotes(forDialect(parsePgJson(value, 'xml'), hint), notes);
}
