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
