// parsePlan: one entry point for every plan shape users paste, with format detection and specific errors.
import type { Dialect } from '../sql/dialect';
import type { Plan } from './model';
import { PlanParseError } from './model';
import { looksLikePgJson, parsePgJson } from './pgJson';
import { parsePgText } from './pgText';
import { looksLikeSqliteRows, looksLikeSqliteTree, parseSqliteRows, parseSqliteTree } from './sqlite';

export interface ParseHint {
  dialect?: Dialect;
  format?: 'json' | 'text';
}

const expected = 'expected PostgreSQL EXPLAIN output (JSON or text) or SQLite EXPLAIN QUERY PLAN';

/**
 * Removes what terminals, GUI tools and chats wrap around a plan: Markdown fences, psql's `QUERY PLAN` header, dashes, `(N rows)` footer,
 * one-space cell margin and `+` continuation marks; psql's expanded `-[ RECORD 1 ]` layout; pgAdmin's and CSV
 * exports' double quotes around each line.
 */
export function cleanLines(text: string): string[] {
  // Markdown code fences around a pasted plan (from a chat, an issue, a wiki page) are not part of it.
  let lines = text.split(/\r?\n/).filter((l) => !/^\s*(?:```|~~~)[\w-]*\s*$/.test(l));
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const header = lines.findIndex((l) => /^\s*"?QUERY PLAN"?\s*$/.test(l));
  let psql = false;
  if (header !== -1 && header < 3 && /^\s*-+(?:\+-+)*\s*$/.test(lines[header + 1] ?? '')) {
    lines = lines.slice(header + 2);
    psql = true;
  } else if (header !== -1 && header < 3 && /^\s*"QUERY PLAN"\s*$/.test(lines[header]!)) {
    lines = lines.slice(header + 1);
  }
  if (lines.length && /^\s*\(\d+ rows?\)\s*$/.test(lines[lines.length - 1]!)) lines.pop();
  if (lines.length && /^-\[ RECORD \d+ \]/.test(lines[0]!)) {
    lines = lines.slice(1).map((l) => l.replace(/^(?:QUERY PLAN)?\s*\| ?/, ''));
    psql = true;
  }
  if (psql) lines = lines.map((l) => (l.startsWith(' ') ? l.slice(1) : l));
  // These checks run on every line of multi-megabyte pastes, so they count and stop early without allocating.
  let plusEnded = 0;
  for (const l of lines) if (lastNonBlank(l) === '+') plusEnded++;
  if (psql || (lines.length > 2 && plusEnded >= lines.length / 2)) lines = lines.map(dropContinuation);
  let quoted = false;
  for (const l of lines) {
    if (lastNonBlank(l) === undefined) continue;
    quoted = /^\s*".*"\s*,?\s*$/.test(l);
    if (!quoted) break;
  }
  if (quoted) {
    lines = lines.map((l) => {
      const m = /^\s*"(.*)"\s*,?\s*$/.exec(l);
      return m ? m[1]!.replace(/""/g, '"') : l;
    });
  }
  return lines;
}

/** The last character that is not a space or tab, or undefined for a blank line. */
function lastNonBlank(line: string): string | undefined {
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return line[i];
  }
  return undefined;
}

/** The first character that is not whitespace in any line. */
function firstNonBlank(lines: readonly string[]): string | undefined {
  for (const l of lines) {
    const m = /\S/.exec(l);
    if (m) return m[0];
  }
  return undefined;
}

/** Removes psql's trailing `+` continuation mark (and the padding before it) without a backtracking regex. */
function dropContinuation(line: string): string {
  const t = line.trimEnd();
  return t.endsWith('+') ? t.slice(0, -1).trimEnd() : line;
}

function fromValue(value: unknown, hint: ParseHint): Plan {
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

function parseJsonText(text: string, hint: ParseHint): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const why = hint.format === 'json' ? 'the format was given as JSON but the input does not parse' : 'the input looks like JSON but does not parse';
    throw new PlanParseError(`${why} (${(err as Error).message}); ${expected}`);
  }
  return fromValue(value, hint);
}

function looksLikePgText(lines: readonly string[]): boolean {
  return lines.some((l) => /\(cost=[\d.]+\.\.[\d.]+ rows=\d+ width=\d+\)|\(actual (?:time|rows)=|^\s*->\s+\S/.test(l));
}

function notAPlan(lines: readonly string[]): PlanParseError {
  const i = lines.findIndex((l) => l.trim() !== '');
  if (i === -1) return new PlanParseError(`${expected}; the input is empty`);
  const line = lines[i]!.trim();
  const sql = /^(select|with|insert|update|delete|explain|create|alter)\b/i.test(line);
  const what = sql ? 'a SQL statement, not its plan (run EXPLAIN on it and paste the output)' : `"${line.slice(0, 80)}"`;
  return new PlanParseError(`${expected}; line ${i + 1} looks like ${what}`);
}

/** Parses a plan in any supported shape; `input` may also be an already-parsed JSON value or a row array. */
export function parsePlan(input: unknown, hint: ParseHint = {}): Plan {
  if (typeof input !== 'string') return fromValue(input, hint);
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const first = /\S/.exec(text.length > 4096 ? text.slice(0, 4096) : text)?.[0];
  // Fast path: raw JSON goes straight to JSON.parse with no line splitting, which matters for tens of megabytes.
  if (hint.format !== 'text' && (first === '[' || first === '{')) return parseJsonText(text, hint);
  const lines = cleanLines(text);
  const start = firstNonBlank(lines);
  if (hint.format === 'json' || (hint.format === undefined && (start === '[' || start === '{'))) {
    return parseJsonText(lines.join('\n'), hint);
  }
  if (hint.dialect !== 'postgres' && looksLikeSqliteTree(lines)) return parseSqliteTree(lines);
  if (hint.dialect === 'sqlite') {
    const i = lines.findIndex((l) => l.trim() !== '' && l.trim() !== 'QUERY PLAN');
    throw new PlanParseError(`expected SQLite EXPLAIN QUERY PLAN (rows or the sqlite3 shell's tree); line ${i + 1} looks like "${(lines[i] ?? '').trim().slice(0, 80)}"`);
  }
  if (looksLikePgText(lines)) return parsePgText(lines);
  throw notAPlan(lines);
}
