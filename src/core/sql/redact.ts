// Removes the data from SQL before it leaves the machine (setting `dataeng.privacy.redactLiterals`): every string,
// number and dollar-quoted literal becomes a numbered placeholder, and comments are dropped because they are free
// text where people paste customer data. Identifiers, keywords, operators and existing parameters stay, so the
// model still sees the shape of the query.
import type { Dialect } from './dialect';
import type { Token } from './lexer';
import { tokenize, wordEquals } from './lexer';
import { copyDataBlocks } from './locate';

/**
 * Returns `sql` with literals replaced by placeholders: `$n` for PostgreSQL, `?n` for SQLite, numbered from one
 * above the highest positional parameter already in the text so a placeholder never aliases a real parameter.
 *
 * A dollar-quoted string right after `AS` or `DO` (optionally `DO LANGUAGE x`) is a routine body: its delimiters
 * are kept and its content is redacted recursively, so a PL/pgSQL function keeps its logic but loses its data.
 * Every other dollar-quoted string is a literal. The data rows of `COPY … FROM STDIN` (pg_dump output) are
 * all data and are dropped whole, keeping the `\.` terminator. Never throws.
 */
export function redactLiterals(sql: string, dialect: Dialect): string {
  const counter = { next: highestPositionalParam(sql, dialect) + 1 };
  const blocks = /stdin/i.test(sql) ? copyDataBlocks(sql, dialect) : [];
  if (blocks.length === 0) return redactText(sql, dialect, counter, 0);
  const out: string[] = [];
  let pos = 0;
  for (const block of blocks) {
    out.push(redactText(sql.slice(pos, block.start), dialect, counter, 0));
    const data = sql.slice(block.start, block.end);
    if (/(^|\n)\\\.$/.test(data)) out.push('\\.');
    pos = block.end;
  }
  out.push(redactText(sql.slice(pos), dialect, counter, 0));
  return out.join('');
}

/** Deeply nested bodies are rare; past this depth a body is replaced whole, which is always safe. */
const maxBodyDepth = 8;

function redactText(sql: string, dialect: Dialect, counter: { next: number }, depth: number): string {
  const tokens = tokenize(sql, dialect);
  const out: string[] = [];
  // A placeholder must stay one parameter token: a space keeps it apart from a neighbouring identifier
  // character, digit or `$` (`x'..'` after `foo` must not become `foo$1`, nor `$` + `$1` a dollar quote).
  const placeholder = (): string => {
    const before = out.length ? out[out.length - 1]! : '';
    const next = tokens[index + 1];
    const lead = before && gluesTo(before.charCodeAt(before.length - 1)) ? ' ' : '';
    const trail = next && gluesTo(sql.charCodeAt(next.start)) ? ' ' : '';
    return lead + (dialect === 'postgres' ? '$' : '?') + String(counter.next++) + trail;
  };
  let index = 0;
  for (let i = 0; i < tokens.length; i++) {
    index = i;
    const t = tokens[i]!;
    switch (t.kind) {
      case 'string':
      case 'number':
        out.push(placeholder());
        break;
      case 'dollarString':
        if (!t.unterminated && depth < maxBodyDepth && isRoutineBody(sql, tokens, i)) {
          const open = sql.indexOf('$', t.start + 1) + 1;
          const delimiter = sql.slice(t.start, open);
          const body = sql.slice(open, t.end - delimiter.length);
          out.push(delimiter, redactText(body, dialect, counter, depth + 1), delimiter);
        } else {
          out.push(placeholder());
        }
        break;
      case 'lineComment':
        break;
      case 'blockComment':
        // A space keeps the neighbours apart (`a/*x*/b` must not become `ab`).
        out.push(' ');
        break;
      default:
        out.push(sql.slice(t.start, t.end));
    }
  }
  return out.join('');
}

/** True when the dollar string at `index` follows `AS`, `DO`, or `DO LANGUAGE name` (comments and spaces skipped). */
function isRoutineBody(sql: string, tokens: readonly Token[], index: number): boolean {
  const words: Token[] = [];
  for (let j = index - 1; j >= 0 && words.length < 3; j--) {
    const t = tokens[j]!;
    if (t.kind === 'whitespace' || t.kind === 'lineComment' || t.kind === 'blockComment') continue;
    if (t.kind !== 'word') break;
    words.push(t);
  }
  const is = (t: Token | undefined, w: string): boolean => t !== undefined && wordEquals(sql, t.start, t.end, w);
  if (is(words[0], 'as') || is(words[0], 'do')) return true;
  return is(words[1], 'language') && is(words[2], 'do');
}

/** Characters that would merge with a placeholder written right next to them. */
function gluesTo(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c >= 128
  );
}

function highestPositionalParam(sql: string, dialect: Dialect): number {
  let max = 0;
  const re = dialect === 'postgres' ? /\$(\d{1,9})/g : /\?(\d{1,9})/g;
  for (const m of sql.matchAll(re)) max = Math.max(max, Number(m[1]));
  return max;
}

/** JSON and array punctuation and whitespace: the separators between the values inside a string literal. */
const atomSeparators = /[\s{}[\]",:()]+/;

/**
 * The values of the literals in `sql` that must never leave the machine when redaction is on: each string's content
 * (also unescaped), the values inside JSON and array literals, numbers, and dollar-quoted text; only values of at
 * least `minLength` characters that are not also an identifier or keyword of the statement (those stay visible
 * anyway). `scrubLiterals` removes them from any text derived from the statement: plan conditions, error messages,
 * finding messages, earlier turns.
 */
export function literalValues(sql: string, dialect: Dialect, minLength = 3): string[] {
  const tokens = tokenize(sql, dialect);
  const words = new Set<string>();
  const values = new Set<string>();
  for (const t of tokens) {
    const raw = sql.slice(t.start, t.end);
    if (t.kind === 'word') words.add(raw.toLowerCase());
    else if (t.kind === 'quotedIdent') words.add(raw.slice(1, -1).toLowerCase());
    else if (t.kind === 'number') values.add(raw);
    else if (t.kind === 'string' || t.kind === 'dollarString') {
      const open = t.kind === 'dollarString' ? sql.indexOf('$', t.start + 1) + 1 : sql.indexOf("'", t.start) + 1;
      const close = t.unterminated ? t.end : t.kind === 'dollarString' ? t.end - (open - t.start) : t.end - 1;
      const content = sql.slice(open, Math.max(open, close));
      values.add(content);
      values.add(content.replace(/''/g, "'").replace(/\\(.)/g, '$1'));
      for (const atom of content.split(atomSeparators)) values.add(atom);
    }
  }
  return [...values].filter((v) => v.length >= minLength && !words.has(v.toLowerCase())).sort((a, b) => b.length - a.length);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replaces every occurrence of the given literal values in `text` with `?`. Numbers are replaced only as whole
 * numbers (`123` is not taken out of `1234.5`); other values wherever they occur. Longest values first.
 */
export function scrubLiterals(text: string, values: readonly string[]): string {
  let out = text;
  for (const v of values) {
    if (!v || !out.includes(v)) continue;
    const pattern = /^[0-9.eE+-]+$/.test(v) ? new RegExp(`(?<![\\w.])${escapeRegExp(v)}(?![\\w.]*\\d)`, 'g') : new RegExp(escapeRegExp(v), 'g');
    out = out.replace(pattern, '?');
  }
  return out;
}
