// Finds "the statement the user means" in an editor document, and splits a document into statements.
//
// A statement's range runs from its first code token to its last code token: leading and trailing whitespace,
// comments before the first token or after the last one, and the terminating `;` are outside the range (so
// replacing a statement keeps the user's header comments). Comments between code tokens are inside it.
// A `;` ends a statement except inside a SQLite `CREATE TRIGGER … BEGIN … END` body or a PostgreSQL
// `CREATE FUNCTION|PROCEDURE … BEGIN ATOMIC … END` body, where `CASE … END` pairs are counted so the END of a CASE
// does not end the body. Parentheses are deliberately not counted: a half-typed `(` must not swallow the rest
// of the file. In PostgreSQL a backslash outside quotes starts a psql meta-command (`\set`, `\gx`): it ends
// the statement before it and is skipped to the end of its line.
//
// Speed: statementAt at the end of a 10 MB file scans all of it, so the walker below steps over plain characters
// and words itself and only hands quotes, comments, numbers and sigils to the lexer's Scanner; nothing is
// allocated per token or per statement on that path.
import type { Dialect } from './dialect';
import { K_BLOCK_COMMENT, K_LINE_COMMENT, K_SEMICOLON, K_WHITESPACE, K_WORD, Scanner, wordEquals } from './lexer';

export interface Statement {
  start: number;
  end: number;
  /** Exactly `source.slice(start, end)`: no surrounding whitespace, no trailing `;`. */
  text: string;
}

export interface Selection {
  start: number;
  end: number;
}

/** Where one statement lies: its code, and where its terminator (`;`, or the code end when there is none) ends. */
interface Span {
  codeStart: number;
  codeEnd: number;
  termEnd: number;
}

// Header states of the small machine that recognizes bodies whose `;` do not end the statement.
const HEADER_START = 0;
const HEADER_AFTER_CREATE = 1;
const HEADER_TRIGGER = 2;
const HEADER_ROUTINE = 3;
const HEADER_ROUTINE_BEGIN = 4;
const HEADER_PLAIN = 5;
const HEADER_RULE = 6;
const HEADER_COPY = 7;

// The walker's fast path: ASCII characters it may step over one at a time without changing where any string,
// comment or quoted token starts. Everything else goes through the full Scanner, so both agree on boundaries.
const FAST_NONE = 0;
const FAST_SPACE = 1;
const FAST_CODE = 2;
const FAST_WORD = 3;
const fastClass = new Uint8Array(128);
for (let c = 0; c < 128; c++) fastClass[c] = FAST_CODE;
for (const c of [32, 9, 10, 11, 12, 13]) fastClass[c] = FAST_SPACE;
for (let c = 65; c <= 90; c++) fastClass[c] = FAST_WORD;
for (let c = 97; c <= 122; c++) fastClass[c] = FAST_WORD;
fastClass[95] = FAST_WORD;
// Quotes, comment starters, `$`, parameter sigils, `;` and the letters that may prefix a string (E'', B'', X'',
// N'', U&'') need the Scanner; so does `\`, which starts a psql meta-command in PostgreSQL.
for (const ch of `'"-/$[\`?:@#;EeBbXxNnUu\\`) fastClass[ch.charCodeAt(0)] = FAST_NONE;
// Digits too: a number's exponent (`1e5`) must not be mistaken for a word, or for an E'' string prefix.
for (let c = 48; c <= 57; c++) fastClass[c] = FAST_NONE;

/**
 * Walks the text statement by statement. `next` fills `out` with the next statement at or after `pos` and
 * returns the position to continue from, or -1 when only whitespace, comments and stray `;` remain.
 */
class StatementWalker {
  private readonly sc: Scanner;
  private readonly sqlite: boolean;
  private readonly len: number;
  private header = HEADER_START;
  private bodyDepth = 0;
  /** The last word of a COPY statement was FROM (so a following STDIN means inline data). */
  private copyAfterFrom = false;
  private copyFromStdin = false;
  /** Set when the statement just returned was `COPY … FROM STDIN`: its data lines follow and are not SQL. */
  private skipCopyData = false;
  /** Called with each data block of psql's `\copy … from stdin` that the walker steps over (copyDataBlocks). */
  onMetaCopyData: ((start: number, end: number) => void) | undefined;

  /** MySQL: scripts may say `DELIMITER //` (a mysql client command); set while a delimiter other than `;` is in force. */
  private readonly mysql: boolean;
  private delimiter: string | null = null;

  constructor(private readonly text: string, dialect: Dialect) {
    this.sc = new Scanner(text, dialect);
    this.sqlite = dialect === 'sqlite';
    this.mysql = dialect === 'mysql';
    this.len = text.length;
  }

  /**
   * MySQL's `DELIMITER x` line at `s` (the word `delimiter` starts a statement): takes the new delimiter (`;` goes back
   * to normal) and returns where the line ends; the line itself is a client command, never part of a statement.
   */
  private delimiterLine(s: number): number {
    const text = this.text;
    const len = this.len;
    const end = lineEnd(text, s, len);
    let p = s + 'delimiter'.length;
    while (p < end && (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9)) p++;
    let q = p;
    while (q < end && text.charCodeAt(q) > 32) q++;
    if (q > p) {
      const d = text.slice(p, q);
      this.delimiter = d === ';' ? null : d;
    }
    return end;
  }

  /** True right after `next` returned a `COPY … FROM STDIN` statement, whose data follows. */
  get dataFollows(): boolean {
    return this.skipCopyData;
  }

  next(pos: number, out: Span): number {
    const sc = this.sc;
    const text = this.text;
    const len = this.len;
    let codeStart = -1;
    let codeEnd = -1;
    if (this.skipCopyData) {
      pos = copyDataEnd(text, pos, len);
      this.skipCopyData = false;
    }
    this.header = HEADER_START;
    this.bodyDepth = 0;
    this.copyFromStdin = false;
    while (pos < len) {
      const c = text.charCodeAt(pos);
      const delim = this.delimiter;
      if (delim !== null && c === delim.charCodeAt(0) && text.startsWith(delim, pos)) {
        pos += delim.length;
        if (codeStart === -1) continue;
        out.codeStart = codeStart;
        out.codeEnd = codeEnd;
        out.termEnd = pos;
        return pos;
      }
      let fast = c < 128 ? fastClass[c]! : c === 0xfeff ? FAST_NONE : FAST_WORD;
      // E, B, X, N and U begin many keywords (END, NOT, UPDATE…); only a following quote or `&` makes a string.
      if (fast === FAST_NONE && isPrefixLetter(c)) {
        const n = text.charCodeAt(pos + 1);
        if (n !== 39 && n !== 38) fast = FAST_WORD;
      }
      if (fast === FAST_SPACE) {
        pos++;
        continue;
      }
      if (fast === FAST_CODE) {
        if (codeStart === -1) codeStart = pos;
        codeEnd = ++pos;
        if (this.header !== HEADER_PLAIN) this.symbol(c);
        continue;
      }
      if (fast === FAST_WORD) {
        const s = pos;
        pos = skipIdentTail(text, pos + 1, len);
        if (this.mysql) {
          if (codeStart === -1 && wordEquals(text, s, pos, 'delimiter')) {
            pos = this.delimiterLine(s);
            continue;
          }
          // A delimiter made of word characters (`END$$`) ends the word where it starts.
          if (delim !== null) {
            const at = text.indexOf(delim, s + 1);
            if (at !== -1 && at < pos) pos = at;
          }
        }
        if (codeStart === -1) codeStart = s;
        codeEnd = pos;
        if (this.header !== HEADER_PLAIN) this.word(s, pos);
        continue;
      }
      if (c === 92 && !this.sqlite) {
        // A backslash outside quotes is never PostgreSQL SQL: it is a psql meta-command (`\set x 1`, `\gx`),
        // which runs to the end of its line. It ends the statement before it (as `\g` does) and is skipped.
        if (codeStart !== -1) {
          out.codeStart = codeStart;
          out.codeEnd = codeEnd;
          out.termEnd = codeEnd;
          return pos;
        }
        if (metaCopyReadsStdin(text, pos, len)) {
          // psql's client-side `\copy … from stdin` reads the lines after it, through `\.`, as data, not SQL.
          const end = copyDataEnd(text, pos, len);
          this.onMetaCopyData?.(nextLineStart(text, pos, len), end);
          pos = end;
        } else {
          pos = lineEnd(text, pos, len);
        }
        continue;
      }
      sc.scan(pos);
      pos = sc.end;
      const kind = sc.kind;
      if (kind === K_WHITESPACE || kind === K_LINE_COMMENT || kind === K_BLOCK_COMMENT) {
        // An unterminated comment after code swallows the rest, so the statement runs to the end of the text.
        if (sc.unterminated && codeStart !== -1) codeEnd = pos;
        continue;
      }
      if (kind === K_SEMICOLON) {
        if (codeStart === -1) continue;
        if (this.bodyDepth === 0 && delim === null) {
          out.codeStart = codeStart;
          out.codeEnd = codeEnd;
          out.termEnd = pos;
          this.skipCopyData = this.copyFromStdin;
          return pos;
        }
        codeEnd = pos;
        continue;
      }
      if (codeStart === -1) codeStart = sc.start;
      codeEnd = pos;
      if (this.header === HEADER_PLAIN) continue;
      if (kind === K_WORD) this.word(sc.start, pos);
      else this.symbol(text.charCodeAt(sc.start));
    }
    if (codeStart === -1) return -1;
    out.codeStart = codeStart;
    out.codeEnd = codeEnd;
    out.termEnd = codeEnd;
    return len;
  }

  /** Feeds any other code token (by its first character) to the header machine. */
  private symbol(c: number): void {
    switch (this.header) {
      case HEADER_START:
      case HEADER_AFTER_CREATE:
        // The special statements start with keywords only: `(CREATE …` or `-COPY …` are something else.
        this.header = HEADER_PLAIN;
        break;
      case HEADER_COPY:
        this.copyAfterFrom = false;
        break;
      case HEADER_RULE:
        // CREATE RULE … DO (a; b) is the one place where parentheses group statements.
        if (c === 40) this.bodyDepth++;
        else if (c === 41 && this.bodyDepth > 0) this.bodyDepth--;
        break;
    }
  }

  /** Feeds one word to the header machine that recognizes trigger and BEGIN ATOMIC bodies. */
  private word(s: number, e: number): void {
    const text = this.text;
    switch (this.header) {
      case HEADER_START:
        if (wordEquals(text, s, e, 'create')) this.header = HEADER_AFTER_CREATE;
        else if (!this.sqlite && wordEquals(text, s, e, 'copy')) {
          this.header = HEADER_COPY;
          this.copyAfterFrom = false;
        } else this.header = HEADER_PLAIN;
        break;
      case HEADER_COPY:
        if (this.copyAfterFrom && wordEquals(text, s, e, 'stdin')) this.copyFromStdin = true;
        this.copyAfterFrom = wordEquals(text, s, e, 'from');
        break;
      case HEADER_AFTER_CREATE:
        if (this.sqlite) {
          if (wordEquals(text, s, e, 'trigger')) this.header = HEADER_TRIGGER;
          else if (!wordEquals(text, s, e, 'temp') && !wordEquals(text, s, e, 'temporary')) this.header = HEADER_PLAIN;
        } else if (wordEquals(text, s, e, 'function') || wordEquals(text, s, e, 'procedure')) {
          this.header = HEADER_ROUTINE;
        } else if (wordEquals(text, s, e, 'rule')) {
          this.header = HEADER_RULE;
        } else if (!wordEquals(text, s, e, 'or') && !wordEquals(text, s, e, 'replace')) {
          this.header = HEADER_PLAIN;
        }
        break;
      case HEADER_TRIGGER:
        this.bodyWord(s, e);
        break;
      case HEADER_ROUTINE:
        if (this.bodyDepth > 0) this.bodyWord(s, e);
        else if (wordEquals(text, s, e, 'begin')) this.header = HEADER_ROUTINE_BEGIN;
        break;
      case HEADER_ROUTINE_BEGIN:
        // Only `BEGIN ATOMIC` opens an SQL-standard body. Any other word after BEGIN means that BEGIN was something
        // else — a parameter or column named `begin`, as in `f(begin int)` — so keep looking for the body.
        if (wordEquals(text, s, e, 'atomic')) this.bodyDepth = 1;
        this.header = HEADER_ROUTINE;
        break;
    }
  }

  /**
   * Tracks BEGIN/CASE/END nesting inside a body (depth 0 = before a trigger's BEGIN). The END that closes the
   * body switches the header to plain, so from then on a `;` ends the statement.
   */
  private bodyWord(s: number, e: number): void {
    const text = this.text;
    const depth = this.bodyDepth;
    if (wordEquals(text, s, e, 'begin')) {
      if (depth === 0) this.bodyDepth = 1;
    } else if (depth > 0 && wordEquals(text, s, e, 'case')) {
      this.bodyDepth = depth + 1;
    } else if (depth > 0 && wordEquals(text, s, e, 'end')) {
      this.bodyDepth = depth - 1;
      if (depth === 1) this.header = HEADER_PLAIN;
    }
  }
}

// Identifier continuation characters in ASCII: letters, digits, `_` and `$` (as in the lexer).
const identTail = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  identTail[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 ? 1 : 0;
}

function skipIdentTail(text: string, p: number, len: number): number {
  while (p < len) {
    const c = text.charCodeAt(p);
    if (c < 128 ? identTail[c] === 0 : c === 0xfeff) break;
    p++;
  }
  return p;
}

/**
 * Where the inline data of `COPY … FROM STDIN;` ends: it starts on the line after the `;` and runs through a
 * line holding only `\.` (psql's end-of-data marker), or to the end of the text.
 */
function copyDataEnd(text: string, pos: number, len: number): number {
  let line = lineEnd(text, pos, len);
  while (line < len) {
    // Step over the line break (CRLF counts as one) to the start of the next line.
    line += text.charCodeAt(line) === 13 && text.charCodeAt(line + 1) === 10 ? 2 : 1;
    const end = lineEnd(text, line, len);
    if (end - line === 2 && text.charCodeAt(line) === 92 && text.charCodeAt(line + 1) === 46) return end;
    line = end;
  }
  return len;
}

/** Where the line after the one holding `p` starts (the end of the text when there is none). */
function nextLineStart(text: string, p: number, len: number): number {
  const end = lineEnd(text, p, len);
  if (end >= len) return len;
  return end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
}

/**
 * Whether the psql meta-command at `p` (a backslash) is `\copy … from stdin`, whose data lines follow it in the
 * script. Quoted file names and `pstdin` (psql's own standard input, not the script) do not count.
 */
function metaCopyReadsStdin(text: string, p: number, len: number): boolean {
  if (!(text.startsWith('\\copy', p) && !isIdentChar(text.charCodeAt(p + 5)))) return false;
  const end = lineEnd(text, p, len);
  let afterFrom = false;
  let i = p + 5;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 39 || c === 34) {
      // Skip a quoted file name or identifier; a doubled quote stays inside.
      i++;
      while (i < end && !(text.charCodeAt(i) === c && text.charCodeAt(i + 1) !== c)) i += text.charCodeAt(i) === c ? 2 : 1;
      i++;
      afterFrom = false;
      continue;
    }
    if (isIdentChar(c)) {
      const s = i;
      while (i < end && isIdentChar(text.charCodeAt(i))) i++;
      if (afterFrom && wordEquals(text, s, i, 'stdin')) return true;
      afterFrom = wordEquals(text, s, i, 'from');
      continue;
    }
    if (c !== 32 && c !== 9) afterFrom = false;
    i++;
  }
  return false;
}

function isIdentChar(c: number): boolean {
  return c < 128 ? identTail[c] === 1 : !Number.isNaN(c);
}

function lineEnd(text: string, p: number, len: number): number {
  while (p < len) {
    const c = text.charCodeAt(p);
    if (c === 10 || c === 13) break;
    p++;
  }
  return p;
}

function isPrefixLetter(c: number): boolean {
  const l = c | 0x20;
  return l === 101 || l === 98 || l === 120 || l === 110 || l === 117;
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) return true;
  }
  return false;
}

function clamp(n: number, len: number): number {
  if (!Number.isFinite(n)) return n > 0 ? len : 0;
  return Math.min(Math.max(Math.trunc(n), 0), len);
}

function toStatement(text: string, span: Span): Statement {
  return { start: span.codeStart, end: span.codeEnd, text: text.slice(span.codeStart, span.codeEnd) };
}

/** Every statement in the text, in order, without whitespace-only or comment-only pieces. Never throws. */
export function split(text: string, dialect: Dialect): Statement[] {
  const walker = new StatementWalker(text, dialect);
  const span: Span = { codeStart: 0, codeEnd: 0, termEnd: 0 };
  const out: Statement[] = [];
  let pos = 0;
  while ((pos = walker.next(pos, span)) !== -1) out.push(toStatement(text, span));
  return out;
}

/**
 * The inline data blocks of `COPY … FROM STDIN;` in PostgreSQL text (as in pg_dump output): each runs from the
 * line after the `;` through the `\.` line (or to the end of the text). The data is not SQL. Never throws.
 */
export function copyDataBlocks(text: string, dialect: Dialect): Selection[] {
  if (dialect !== 'postgres') return [];
  const walker = new StatementWalker(text, dialect);
  const span: Span = { codeStart: 0, codeEnd: 0, termEnd: 0 };
  const blocks: Selection[] = [];
  walker.onMetaCopyData = (start, end) => blocks.push({ start, end });
  let pos = 0;
  while ((pos = walker.next(pos, span)) !== -1) {
    if (!walker.dataFollows) continue;
    let start = lineEnd(text, pos, text.length);
    if (start < text.length) start += text.charCodeAt(start) === 13 && text.charCodeAt(start + 1) === 10 ? 2 : 1;
    blocks.push({ start, end: copyDataEnd(text, pos, text.length) });
  }
  return blocks;
}

/**
 * The statement at a cursor, or the selected text when the selection is non-empty. Never throws.
 *
 * For a cursor (UTF-16 offset, clamped to the text), in order of precedence:
 * - after a statement's `;` (or its last token) with only whitespace/comments since, on the same line → that
 *   statement; this includes `;▮SELECT`, but a cursor touching the next statement's first token after a space
 *   or comment (`; ▮SELECT`) is in the next statement;
 * - anywhere from a statement's first token to its `;` → that statement;
 * - in whitespace/comments before a statement on the line where the statement starts → that statement;
 * - otherwise (blank lines between statements, comment lines, comment-only text) → null.
 *
 * A selection is returned as selected, trimmed of surrounding whitespace and of one trailing `;` token; a
 * selection of only whitespace (and `;`) gives null.
 */
export function statementAt(text: string, cursorOrSelection: number | Selection, dialect: Dialect): Statement | null {
  if (typeof cursorOrSelection !== 'number') {
    const a = clamp(cursorOrSelection.start, text.length);
    const b = clamp(cursorOrSelection.end, text.length);
    if (a !== b) return selectedStatement(text, Math.min(a, b), Math.max(a, b), dialect);
    return cursorStatement(text, a, dialect);
  }
  return cursorStatement(text, clamp(cursorOrSelection, text.length), dialect);
}

function cursorStatement(text: string, cursor: number, dialect: Dialect): Statement | null {
  const walker = new StatementWalker(text, dialect);
  const cur: Span = { codeStart: 0, codeEnd: 0, termEnd: 0 };
  // The previous statement is kept in plain numbers so the loop allocates nothing per statement.
  let prevStart = -1;
  let prevEnd = -1;
  let prevTermEnd = -1;
  let pos = 0;
  while ((pos = walker.next(pos, cur)) !== -1) {
    // Touching the next statement's first token wins, unless the cursor also touches the `;` itself.
    if (prevStart !== -1 && (cursor < cur.codeStart || cursor === prevTermEnd) && !hasLineBreak(text, prevTermEnd, cursor)) {
      return { start: prevStart, end: prevEnd, text: text.slice(prevStart, prevEnd) };
    }
    if (cursor < cur.codeStart) return hasLineBreak(text, cursor, cur.codeStart) ? null : toStatement(text, cur);
    if (cursor <= cur.termEnd) return toStatement(text, cur);
    prevStart = cur.codeStart;
    prevEnd = cur.codeEnd;
    prevTermEnd = cur.termEnd;
  }
  if (prevStart !== -1 && !hasLineBreak(text, prevTermEnd, cursor)) {
    return { start: prevStart, end: prevEnd, text: text.slice(prevStart, prevEnd) };
  }
  return null;
}

/**
 * A selection is taken as the user wrote it, minus surrounding whitespace and one trailing `;`. A selection with
 * no code in it (only whitespace, comments and `;`) is no statement, as in split.
 */
function selectedStatement(text: string, start: number, end: number, dialect: Dialect): Statement | null {
  const trimmed = trimRange(text, start, end);
  start = trimmed.start;
  end = trimmed.end;
  if (start === end) return null;
  const sc = new Scanner(text.slice(start, end), dialect);
  let pos = 0;
  let lastKind = -1;
  let lastStart = 0;
  let hasCode = false;
  while (sc.scan(pos)) {
    lastKind = sc.kind;
    lastStart = sc.start;
    pos = sc.end;
    if (lastKind !== K_WHITESPACE && lastKind !== K_LINE_COMMENT && lastKind !== K_BLOCK_COMMENT && lastKind !== K_SEMICOLON) hasCode = true;
  }
  if (!hasCode) return null;
  // Only a real `;` token is dropped: a `;` inside an unterminated string or comment stays.
  if (lastKind === K_SEMICOLON) {
    const again = trimRange(text, start, start + lastStart);
    start = again.start;
    end = again.end;
  }
  return { start, end, text: text.slice(start, end) };
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12 || c === 0xfeff;
}

function trimRange(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}
