// The SQL lexer for PostgreSQL and SQLite. It is written for the editor, not for a parser: it never throws, it
// accepts half-typed text (unterminated strings and comments run to the end), and its hot path works on char codes
// only, so the statement locator can scan a 10 MB file without allocating a token per token.
import type { Dialect } from './dialect';

export type TokenKind =
  | 'whitespace'
  | 'lineComment'
  | 'blockComment'
  | 'string'
  | 'quotedIdent'
  | 'dollarString'
  | 'word'
  | 'number'
  | 'param'
  | 'semicolon'
  | 'punct'
  | 'operator';

// Token kinds as small integers on the hot path; `tokenKinds[code]` is the public name.
export const K_WHITESPACE = 0;
export const K_LINE_COMMENT = 1;
export const K_BLOCK_COMMENT = 2;
export const K_STRING = 3;
export const K_QUOTED_IDENT = 4;
export const K_DOLLAR_STRING = 5;
export const K_WORD = 6;
export const K_NUMBER = 7;
export const K_PARAM = 8;
export const K_SEMICOLON = 9;
export const K_PUNCT = 10;
export const K_OPERATOR = 11;

export const tokenKinds: readonly TokenKind[] = [
  'whitespace',
  'lineComment',
  'blockComment',
  'string',
  'quotedIdent',
  'dollarString',
  'word',
  'number',
  'param',
  'semicolon',
  'punct',
  'operator',
];

/** One token; offsets are UTF-16 code units (JavaScript string indices), `end` exclusive. */
export interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** Present (and true) on a string, identifier or comment that reaches the end of the text without its closer. */
  unterminated?: true;
}

// Char codes used by the scanner; named so the switch below reads like the grammar.
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const PERCENT = 37;
const AMP = 38;
const SQUOTE = 39;
const STAR = 42;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const DIGIT0 = 48;
const DIGIT9 = 57;
const COLON = 58;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const LBRACKET = 91;
const BACKSLASH = 92;
const CARET = 94;
const UNDERSCORE = 95;
const BACKTICK = 96;
const PIPE = 124;
const TILDE = 126;
const BOM = 0xfeff;

// ASCII character classes as bit flags in one table: a lookup per character instead of a chain of comparisons.
const F_SPACE = 1;
const F_IDENT_START = 2;
const F_DIGIT = 4;
const F_DOLLAR = 8;
const asciiFlags = new Uint8Array(128);
for (const c of [SPACE, LF, CR, TAB, FF, VT]) asciiFlags[c] = F_SPACE;
for (let c = 65; c <= 90; c++) asciiFlags[c] = F_IDENT_START;
for (let c = 97; c <= 122; c++) asciiFlags[c] = F_IDENT_START;
asciiFlags[UNDERSCORE] = F_IDENT_START;
for (let c = DIGIT0; c <= DIGIT9; c++) asciiFlags[c] = F_DIGIT;
asciiFlags[DOLLAR] = F_DOLLAR;

/** Flags of any UTF-16 code unit: non-ASCII ones are identifier characters (both engines treat high bytes so), except the BOM. */
function flagsOf(c: number): number {
  if (c < 128) return asciiFlags[c]!;
  return c === BOM ? F_SPACE : F_IDENT_START;
}

function isDigit(c: number): boolean {
  return c >= DIGIT0 && c <= DIGIT9;
}

/** Letters, `_` and every non-ASCII code unit. */
function isIdentStart(c: number): boolean {
  return (flagsOf(c) & F_IDENT_START) !== 0;
}

/** Identifier continuation: also digits and `$` (PostgreSQL and SQLite both allow `foo$bar`). */
function isIdentChar(c: number): boolean {
  return (flagsOf(c) & (F_IDENT_START | F_DIGIT | F_DOLLAR)) !== 0;
}

/** A dollar-quote tag character: an identifier character other than `$`. */
function isTagChar(c: number): boolean {
  return (flagsOf(c) & (F_IDENT_START | F_DIGIT)) !== 0;
}

function isWhitespace(c: number): boolean {
  return (flagsOf(c) & F_SPACE) !== 0;
}

/** PostgreSQL operator characters (see "Operators" in the PostgreSQL lexical structure chapter). */
function isPgOperatorChar(c: number): boolean {
  return (
    c === PLUS || c === MINUS || c === STAR || c === SLASH || c === LT || c === GT || c === EQ || c === TILDE ||
    c === BANG || c === AT || c === HASH || c === PERCENT || c === CARET || c === AMP || c === PIPE ||
    c === BACKTICK || c === QUESTION
  );
}

/** SQLite's multi-character operators are all made of these. */
function isSqliteOperatorChar(c: number): boolean {
  return c === PLUS || c === MINUS || c === STAR || c === SLASH || c === LT || c === GT || c === EQ || c === TILDE ||
    c === BANG || c === AMP || c === PIPE || c === PERCENT;
}

/**
 * A reusable scanner: `scan(pos)` reads the one token that starts at `pos` and leaves its kind and end in fields.
 * Keeping the state in one object (instead of returning a token) is what keeps the locate path allocation-free.
 */
export class Scanner {
  /** The kind of the last scanned token, one of the K_* codes. */
  kind = K_WHITESPACE;
  start = 0;
  end = 0;
  unterminated = false;
  private readonly pg: boolean;
  /** DuckDB's parser descends from PostgreSQL's: it lexes as PostgreSQL, except that `?` is a parameter. */
  private readonly duckdb: boolean;
  /** MySQL/MariaDB: `#` and `-- ` comments, backslash escapes in '…' and "…" strings, `@var`, no `[…]` identifiers. */
  private readonly my: boolean;
  private readonly len: number;

  constructor(private readonly text: string, dialect: Dialect) {
    this.duckdb = dialect === 'duckdb';
    this.pg = dialect === 'postgres' || this.duckdb;
    this.my = dialect === 'mysql';
    this.len = text.length;
  }

  /** Scans the token starting at `pos`. Returns false when `pos` is at or past the end of the text. */
  scan(pos: number): boolean {
    const text = this.text;
    const len = this.len;
    if (pos >= len) return false;
    this.start = pos;
    this.unterminated = false;
    const c = text.charCodeAt(pos);
    const flags = flagsOf(c);

    if (flags & F_SPACE) {
      let p = pos + 1;
      while (p < len && isWhitespace(text.charCodeAt(p))) p++;
      return this.set(K_WHITESPACE, p);
    }
    if (flags & F_IDENT_START) return this.scanWordOrPrefixedString(pos, c);
    if (flags & F_DIGIT) return this.set(K_NUMBER, this.scanNumber(pos));

    if (this.my) {
      const handled = this.scanMysql(pos, c);
      if (handled) return true;
    }
    switch (c) {
      case SQUOTE:
        return this.scanQuoted(pos + 1, SQUOTE, K_STRING);
      case DQUOTE:
        return this.scanQuoted(pos + 1, DQUOTE, K_QUOTED_IDENT);
      case SEMI:
        return this.set(K_SEMICOLON, pos + 1);
      case MINUS:
        if (text.charCodeAt(pos + 1) === MINUS) return this.scanLineComment(pos + 2);
        break;
      case SLASH:
        if (text.charCodeAt(pos + 1) === STAR) return this.scanBlockComment(pos + 2);
        break;
      case DOT:
        if (isDigit(text.charCodeAt(pos + 1))) return this.set(K_NUMBER, this.scanNumber(pos));
        return this.set(K_PUNCT, pos + 1);
      case DOLLAR:
        return this.scanDollar(pos);
      case LBRACKET:
        if (!this.pg) return this.scanBracketIdent(pos + 1);
        return this.set(K_PUNCT, pos + 1);
      case BACKTICK:
        if (!this.pg) return this.scanQuoted(pos + 1, BACKTICK, K_QUOTED_IDENT);
        break;
      case QUESTION:
        if (!this.pg || this.duckdb) {
          let p = pos + 1;
          while (p < len && isDigit(text.charCodeAt(p))) p++;
          return this.set(K_PARAM, p);
        }
        break;
      case COLON:
        if (!this.pg) {
          if (isIdentChar(text.charCodeAt(pos + 1))) return this.set(K_PARAM, this.scanIdentTail(pos + 1));
          return this.set(K_PUNCT, pos + 1);
        }
        if (text.charCodeAt(pos + 1) === COLON) return this.set(K_OPERATOR, pos + 2);
        return this.set(K_PUNCT, pos + 1);
      case AT:
        if (!this.pg && isIdentChar(text.charCodeAt(pos + 1))) return this.set(K_PARAM, this.scanIdentTail(pos + 1));
        break;
      case HASH:
        if (!this.pg && isIdentChar(text.charCodeAt(pos + 1))) return this.set(K_PARAM, this.scanIdentTail(pos + 1));
        break;
      case BACKSLASH:
        // A backslash outside quotes is never PostgreSQL SQL: it starts a psql meta-command (`\set`, `\gx`),
        // which runs to the end of the line. It is lexed as a line comment because it is a client-side directive.
        if (this.pg) return this.scanLineComment(pos + 1);
        break;
    }
    if (this.pg ? isPgOperatorChar(c) : isSqliteOperatorChar(c)) return this.set(K_OPERATOR, this.scanOperator(pos));
    return this.set(K_PUNCT, pos + 1);
  }

  /**
   * What MySQL and MariaDB lex differently (sql/sql_lex.cc): strings in '…' and "…" (ANSI_QUOTES off, the default)
   * with backslash escapes; `#` to the end of the line; `--` starts a comment only before a space or control character;
   * `@var`, `@@var` are variables (words here, not bind parameters); `[` is punctuation; `:` only `:=`. Returns false
   * for everything the shared code handles the same way.
   */
  private scanMysql(pos: number, c: number): boolean {
    const text = this.text;
    switch (c) {
      case SQUOTE:
      case DQUOTE:
        return this.scanBackslashQuoted(pos + 1, c);
      case HASH:
        return this.scanLineComment(pos + 1);
      case MINUS:
        if (text.charCodeAt(pos + 1) === MINUS) {
          const after = text.charCodeAt(pos + 2);
          if (pos + 2 >= this.len || after <= 32) return this.scanLineComment(pos + 2);
          return this.set(K_OPERATOR, pos + 1);
        }
        return false;
      case AT: {
        let p = pos + 1;
        if (text.charCodeAt(p) === AT) p++;
        const q = text.charCodeAt(p);
        if (q === SQUOTE || q === DQUOTE || q === BACKTICK) {
          this.scanQuoted(p + 1, q, K_WORD);
          return this.set(K_WORD, this.end);
        }
        if (isIdentChar(q)) return this.set(K_WORD, this.scanIdentTail(p));
        return this.set(K_PUNCT, pos + 1);
      }
      case LBRACKET:
        return this.set(K_PUNCT, pos + 1);
      case DOLLAR:
        return this.set(K_PUNCT, pos + 1);
      case COLON:
        if (text.charCodeAt(pos + 1) === 61 /* = */) return this.set(K_OPERATOR, pos + 2);
        return this.set(K_PUNCT, pos + 1);
      default:
        return false;
    }
  }

  /** MySQL '…' or "…": a backslash escapes the next character, and a doubled quote stands for itself. */
  private scanBackslashQuoted(p: number, quote: number): boolean {
    const text = this.text;
    const len = this.len;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === BACKSLASH) p += 2;
      else if (c === quote) {
        if (text.charCodeAt(p + 1) === quote) p += 2;
        else return this.set(K_STRING, p + 1);
      } else p++;
    }
    return this.setUnterminated(K_STRING);
  }

  private set(kind: number, end: number): boolean {
    this.kind = kind;
    this.end = end;
    return true;
  }

  private setUnterminated(kind: number): boolean {
    this.unterminated = true;
    return this.set(kind, this.len);
  }

  private scanIdentTail(p: number): number {
    const text = this.text;
    const len = this.len;
    while (p < len && isIdentChar(text.charCodeAt(p))) p++;
    return p;
  }

  /** A word, or one of the prefixed strings `E'…'`, `B'…'`, `X'…'`, `N'…'`, `U&'…'` and `U&"…"`. */
  private scanWordOrPrefixedString(pos: number, c: number): boolean {
    const text = this.text;
    const next = text.charCodeAt(pos + 1);
    if (next === SQUOTE) {
      const lower = c | 0x20;
      if (lower === 101 /* e */ && this.pg) return this.scanEscapeString(pos + 2);
      if (lower === 120 /* x */ || lower === 98 /* b */ || lower === 110 /* n */) return this.scanQuoted(pos + 2, SQUOTE, K_STRING);
    } else if (next === AMP && (c | 0x20) === 117 /* u */ && this.pg) {
      const q = text.charCodeAt(pos + 2);
      if (q === SQUOTE) return this.scanQuoted(pos + 3, SQUOTE, K_STRING);
      if (q === DQUOTE) return this.scanQuoted(pos + 3, DQUOTE, K_QUOTED_IDENT);
    }
    return this.set(K_WORD, this.scanIdentTail(pos + 1));
  }

  /** A quoted run closed by `quote`, where a doubled quote stands for itself. */
  private scanQuoted(p: number, quote: number, kind: number): boolean {
    const text = this.text;
    const ch = quote === SQUOTE ? "'" : quote === DQUOTE ? '"' : '`';
    for (;;) {
      const close = text.indexOf(ch, p);
      if (close === -1) return this.setUnterminated(kind);
      if (text.charCodeAt(close + 1) === quote) {
        p = close + 2;
        continue;
      }
      return this.set(kind, close + 1);
    }
  }

  /** PostgreSQL `E'…'`: backslash escapes anything, and `''` still stands for a quote. */
  private scanEscapeString(p: number): boolean {
    const text = this.text;
    const len = this.len;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === BACKSLASH) p += 2;
      else if (c === SQUOTE) {
        if (text.charCodeAt(p + 1) === SQUOTE) p += 2;
        else return this.set(K_STRING, p + 1);
      } else p++;
    }
    return this.setUnterminated(K_STRING);
  }

  /** SQLite `[identifier]`: no escapes, closed by the first `]`. */
  private scanBracketIdent(p: number): boolean {
    const close = this.text.indexOf(']', p);
    if (close === -1) return this.setUnterminated(K_QUOTED_IDENT);
    return this.set(K_QUOTED_IDENT, close + 1);
  }

  private scanLineComment(p: number): boolean {
    const text = this.text;
    const len = this.len;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (c === LF || c === CR) break;
      p++;
    }
    return this.set(K_LINE_COMMENT, p);
  }

  /** Block comments nest in PostgreSQL and do not in SQLite. */
  private scanBlockComment(p: number): boolean {
    const text = this.text;
    if (!this.pg) {
      const close = text.indexOf('*/', p);
      if (close === -1) return this.setUnterminated(K_BLOCK_COMMENT);
      return this.set(K_BLOCK_COMMENT, close + 2);
    }
    // PostgreSQL: every `/*` inside deepens the nesting and every `*/` closes one level. Both contain a `*`,
    // so jumping from star to star with indexOf keeps this fast on long comments.
    let depth = 1;
    for (;;) {
      const star = text.indexOf('*', p);
      if (star === -1) return this.setUnterminated(K_BLOCK_COMMENT);
      if (star > p && text.charCodeAt(star - 1) === SLASH) {
        depth++;
        p = star + 1;
      } else if (text.charCodeAt(star + 1) === SLASH) {
        p = star + 2;
        if (--depth === 0) return this.set(K_BLOCK_COMMENT, p);
      } else {
        p = star + 1;
      }
    }
  }

  private scanNumber(pos: number): number {
    const text = this.text;
    const len = this.len;
    let p = pos;
    const c0 = text.charCodeAt(p);
    const c1 = text.charCodeAt(p + 1) | 0x20;
    if (c0 === DIGIT0 && (c1 === 120 /* x */ || c1 === 111 /* o */ || c1 === 98 /* b */)) {
      // Hexadecimal (both engines), octal and binary (PostgreSQL 16) integers.
      p += 2;
      while (p < len && (isTagChar(text.charCodeAt(p)))) p++;
      return p;
    }
    while (p < len && (isDigit(text.charCodeAt(p)) || text.charCodeAt(p) === UNDERSCORE)) p++;
    if (text.charCodeAt(p) === DOT && text.charCodeAt(p + 1) !== DOT) {
      p++;
      while (p < len && (isDigit(text.charCodeAt(p)) || text.charCodeAt(p) === UNDERSCORE)) p++;
    }
    if ((text.charCodeAt(p) | 0x20) === 101 /* e */) {
      const s = text.charCodeAt(p + 1);
      if (isDigit(s)) p += 1;
      else if ((s === PLUS || s === MINUS) && isDigit(text.charCodeAt(p + 2))) p += 2;
      else return p;
      while (p < len && isDigit(text.charCodeAt(p))) p++;
    }
    return p;
  }

  /** `$1` is a parameter, `$$` and `$tag$` open a dollar quote (PostgreSQL); SQLite has `$name` parameters. */
  private scanDollar(pos: number): boolean {
    const text = this.text;
    const next = text.charCodeAt(pos + 1);
    if (!this.pg) {
      if (isIdentChar(next)) return this.set(K_PARAM, this.scanIdentTail(pos + 1));
      return this.set(K_PUNCT, pos + 1);
    }
    if (isDigit(next)) {
      let p = pos + 2;
      while (p < this.len && isDigit(text.charCodeAt(p))) p++;
      return this.set(K_PARAM, p);
    }
    let tagEnd = pos + 1;
    if (next !== DOLLAR) {
      if (!isIdentStart(next)) return this.set(K_PUNCT, pos + 1);
      tagEnd = pos + 2;
      while (tagEnd < this.len && isTagChar(text.charCodeAt(tagEnd))) tagEnd++;
      if (text.charCodeAt(tagEnd) !== DOLLAR) return this.set(K_PUNCT, pos + 1);
    }
    // The delimiter is text[pos..tagEnd] inclusive; find the same delimiter after the opening one.
    const delimLen = tagEnd - pos + 1;
    let p = tagEnd + 1;
    for (;;) {
      const close = text.indexOf('$', p);
      if (close === -1) return this.setUnterminated(K_DOLLAR_STRING);
      let same = close + delimLen <= this.len;
      for (let i = 1; same && i < delimLen; i++) {
        if (text.charCodeAt(close + i) !== text.charCodeAt(pos + i)) same = false;
      }
      if (same) return this.set(K_DOLLAR_STRING, close + delimLen);
      p = close + 1;
    }
  }

  private scanOperator(pos: number): number {
    const text = this.text;
    const len = this.len;
    const isOp = this.pg ? isPgOperatorChar : isSqliteOperatorChar;
    let p = pos + 1;
    while (p < len) {
      const c = text.charCodeAt(p);
      if (!isOp(c)) break;
      // A comment start ends the operator, as in both engines' lexers.
      if ((c === MINUS && text.charCodeAt(p + 1) === MINUS) || (c === SLASH && text.charCodeAt(p + 1) === STAR)) break;
      p++;
    }
    return p;
  }
}

/** Splits the whole text into tokens that cover it exactly, in order. Never throws. */
export function tokenize(text: string, dialect: Dialect): Token[] {
  const tokens: Token[] = [];
  const sc = new Scanner(text, dialect);
  let pos = 0;
  while (sc.scan(pos)) {
    const token: Token = { kind: tokenKinds[sc.kind]!, start: sc.start, end: sc.end };
    if (sc.unterminated) token.unterminated = true;
    tokens.push(token);
    pos = sc.end;
  }
  return tokens;
}

/** True when text[start, end) equals `lower` ignoring ASCII case; `lower` must be lower-case letters. */
export function wordEquals(text: string, start: number, end: number, lower: string): boolean {
  if (end - start !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    if ((text.charCodeAt(start + i) | 0x20) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
