// Significant tokens (no whitespace or comments) with their text, for the small readers of the proof machinery: the
// CREATE INDEX validator, the condition reader and the ORDER BY / LIMIT reader. They all work on the lexer's tokens,
// never on regular expressions over SQL, so quotes, comments and dollar bodies cannot fool them.
import type { Dialect } from '../sql/dialect';
import { tokenize, type TokenKind } from '../sql/lexer';

export interface Tok {
  kind: TokenKind;
  /** The token as written. */
  text: string;
  /** Lower-case text for words; the text as written for everything else. */
  lower: string;
  start: number;
  end: number;
}

/** The significant tokens of `sql`, and whether any of them is unterminated (a string or comment left open). */
export function significantTokens(sql: string, dialect: Dialect): { toks: Tok[]; unterminated: boolean } {
  const toks: Tok[] = [];
  let unterminated = false;
  for (const t of tokenize(sql, dialect)) {
    if (t.unterminated) unterminated = true;
    if (t.kind === 'whitespace' || t.kind === 'lineComment' || t.kind === 'blockComment') continue;
    const text = sql.slice(t.start, t.end);
    toks.push({ kind: t.kind, text, lower: t.kind === 'word' ? text.toLowerCase() : text, start: t.start, end: t.end });
  }
  return { toks, unterminated };
}

/** The word at `i` in lower case, or null when the token is not a word. */
export function wordAt(toks: readonly Tok[], i: number): string | null {
  const t = toks[i];
  return t && t.kind === 'word' ? t.lower : null;
}

/** The index of the `)` that closes the `(` at `open`, or -1. */
export function closingParen(toks: readonly Tok[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    const x = toks[i]!.text;
    if (x === '(') depth++;
    else if (x === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Splits tokens at depth-0 commas. */
export function splitAtCommas(toks: readonly Tok[]): Tok[][] {
  const out: Tok[][] = [[]];
  let depth = 0;
  for (const t of toks) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    if (depth === 0 && t.text === ',') out.push([]);
    else out.at(-1)!.push(t);
  }
  return out.filter((part) => part.length > 0);
}

/** True when parentheses never close more than they opened and end balanced. */
export function balanced(toks: readonly Tok[]): boolean {
  let depth = 0;
  for (const t of toks) {
    if (t.text === '(') depth++;
    else if (t.text === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** An identifier token's name: a quoted identifier unquoted, a plain word folded to lower case as both engines do. */
export function identName(t: Tok, dialect: Dialect): string | null {
  if (t.kind === 'word') return dialect === 'postgres' ? t.lower : t.text;
  if (t.kind === 'quotedIdent') {
    const q = t.text[0];
    if (q === '[') return t.text.slice(1, -1);
    const close = q === '`' ? '`' : '"';
    return t.text.slice(1, -1).split(close + close).join(close);
  }
  return null;
}

/** The source text from the first to the last token (inclusive). */
export function textOf(sql: string, toks: readonly Tok[]): string {
  if (!toks.length) return '';
  return sql.slice(toks[0]!.start, toks[toks.length - 1]!.end);
}
