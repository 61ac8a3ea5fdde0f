import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../src/core/sql/dialect';
import { tokenize } from '../../../src/core/sql/lexer';

/** Tokens as [kind, text] pairs without whitespace, which makes expectations readable. */
function lex(text: string, dialect: Dialect = 'postgres'): [string, string][] {
  return tokenize(text, dialect)
    .filter((t) => t.kind !== 'whitespace')
    .map((t) => [t.kind, text.slice(t.start, t.end)]);
}

function kindsOf(text: string, dialect: Dialect = 'postgres'): string[] {
  return lex(text, dialect).map(([k]) => k);
}

describe('tokenize: coverage', () => {
  it('covers the text exactly, in order, with no gaps', () => {
    const text = "SELECT a.\"b\" , 'c''d' FROM t -- x\r\nWHERE $1 > 2.5e3;/* y */";
    const tokens = tokenize(text, 'postgres');
    let pos = 0;
    for (const t of tokens) {
      expect(t.start).toBe(pos);
      expect(t.end).toBeGreaterThan(t.start);
      pos = t.end;
    }
    expect(pos).toBe(text.length);
  });

  it('returns no tokens for empty text', () => {
    expect(tokenize('', 'postgres')).toEqual([]);
    expect(tokenize('', 'sqlite')).toEqual([]);
  });
});

describe('tokenize: strings and identifiers', () => {
  it('reads single-quoted strings with doubled quotes', () => {
    expect(lex("SELECT 'it''s; fine', ''")).toEqual([
      ['word', 'SELECT'],
      ['string', "'it''s; fine'"],
      ['punct', ','],
      ['string', "''"],
    ]);
  });

  it('reads E strings with backslash escapes, in either case', () => {
    expect(lex("E'a\\'b' e'c\\\\' 'd'")).toEqual([
      ['string', "E'a\\'b'"],
      ['string', "e'c\\\\'"],
      ['string', "'d'"],
    ]);
    // A backslash in a standard string is just a character: the string ends at the first quote.
    expect(lex("'a\\' 'b'")).toEqual([
      ['string', "'a\\'"],
      ['string', "'b'"],
    ]);
  });

  it('reads U&, B, X and N prefixed strings as strings', () => {
    expect(lex("U&'d\\0061t' B'1010' X'1F' N'x' u&\"id\"")).toEqual([
      ['string', "U&'d\\0061t'"],
      ['string', "B'1010'"],
      ['string', "X'1F'"],
      ['string', "N'x'"],
      ['quotedIdent', 'u&"id"'],
    ]);
    expect(lex("x'00ff'", 'sqlite')).toEqual([['string', "x'00ff'"]]);
  });

  it('reads double-quoted identifiers with doubled quotes', () => {
    expect(lex('SELECT "a ""b"";c" FROM "t"')).toEqual([
      ['word', 'SELECT'],
      ['quotedIdent', '"a ""b"";c"'],
      ['word', 'FROM'],
      ['quotedIdent', '"t"'],
    ]);
  });

  it('reads SQLite [bracketed] and `backtick` identifiers, but not in PostgreSQL', () => {
    expect(lex('SELECT [a;b], `c``;d` FROM [t]', 'sqlite')).toEqual([
      ['word', 'SELECT'],
      ['quotedIdent', '[a;b]'],
      ['punct', ','],
      ['quotedIdent', '`c``;d`'],
      ['word', 'FROM'],
      ['quotedIdent', '[t]'],
    ]);
    expect(kindsOf('arr[1]', 'postgres')).toEqual(['word', 'punct', 'number', 'punct']);
  });

  it('keeps identifiers containing $ whole', () => {
    expect(lex('price$usd foo$$bar x$1')).toEqual([
      ['word', 'price$usd'],
      ['word', 'foo$$bar'],
      ['word', 'x$1'],
    ]);
  });
});

describe('tokenize: dollar quotes and parameters', () => {
  it('reads $$ and $tag$ bodies, ignoring other delimiters inside', () => {
    const text = "AS $fn$ BEGIN RETURN $$x$$ || 'y'; END; $fn$ LANGUAGE plpgsql";
    expect(lex(text)).toEqual([
      ['word', 'AS'],
      ['dollarString', "$fn$ BEGIN RETURN $$x$$ || 'y'; END; $fn$"],
      ['word', 'LANGUAGE'],
      ['word', 'plpgsql'],
    ]);
    expect(lex('$$a;b$$')).toEqual([['dollarString', '$$a;b$$']]);
  });

  it('matches tags case-sensitively and allows non-ASCII tags', () => {
    expect(lex('$A$ $a$ ; $A$')).toEqual([['dollarString', '$A$ $a$ ; $A$']]);
    expect(lex('$é$x$é$')).toEqual([['dollarString', '$é$x$é$']]);
  });

  it('does not start a dollar quote at $1 or at a tag starting with a digit', () => {
    expect(lex('WHERE a = $1 AND b = $12')).toEqual([
      ['word', 'WHERE'],
      ['word', 'a'],
      ['operator', '='],
      ['param', '$1'],
      ['word', 'AND'],
      ['word', 'b'],
      ['operator', '='],
      ['param', '$12'],
    ]);
    expect(kindsOf('$1$ x $1$')).toEqual(['param', 'punct', 'word', 'param', 'punct']);
  });

  it('reads SQLite parameters in all their forms', () => {
    expect(lex('VALUES (?, ?12, :name, @who, $v)', 'sqlite')).toEqual([
      ['word', 'VALUES'],
      ['punct', '('],
      ['param', '?'],
      ['punct', ','],
      ['param', '?12'],
      ['punct', ','],
      ['param', ':name'],
      ['punct', ','],
      ['param', '@who'],
      ['punct', ','],
      ['param', '$v'],
      ['punct', ')'],
    ]);
  });

  it('reads the PostgreSQL cast operator and does not mistake :name for a parameter', () => {
    expect(lex("'1'::int")).toEqual([
      ['string', "'1'"],
      ['operator', '::'],
      ['word', 'int'],
    ]);
  });
});

describe('tokenize: comments', () => {
  it('ends -- comments at LF or CR, without the line break', () => {
    const text = 'a -- one; two\r\nb --\nc';
    expect(lex(text)).toEqual([
      ['word', 'a'],
      ['lineComment', '-- one; two'],
      ['word', 'b'],
      ['lineComment', '--'],
      ['word', 'c'],
    ]);
  });

  it('nests /* */ comments in PostgreSQL', () => {
    expect(lex('/* a /* b; */ c; */ x')).toEqual([
      ['blockComment', '/* a /* b; */ c; */'],
      ['word', 'x'],
    ]);
    expect(lex('/*/ still open */ x')).toEqual([
      ['blockComment', '/*/ still open */'],
      ['word', 'x'],
    ]);
    expect(lex('/**/x/***/')).toEqual([
      ['blockComment', '/**/'],
      ['word', 'x'],
      ['blockComment', '/***/'],
    ]);
  });

  it('does not nest /* */ comments in SQLite', () => {
    expect(lex('/* a /* b */ c', 'sqlite')).toEqual([
      ['blockComment', '/* a /* b */'],
      ['word', 'c'],
    ]);
  });

  it('lexes a psql meta-command as a line comment in PostgreSQL only', () => {
    expect(lex('\\set ON_ERROR_STOP on\r\nSELECT 1')).toEqual([
      ['lineComment', '\\set ON_ERROR_STOP on'],
      ['word', 'SELECT'],
      ['number', '1'],
    ]);
    expect(kindsOf('\\x', 'sqlite')).toEqual(['punct', 'word']);
  });

  it('ends an operator before a comment starts', () => {
    expect(lex('a+-- c\nb */*x*/ c')).toEqual([
      ['word', 'a'],
      ['operator', '+'],
      ['lineComment', '-- c'],
      ['word', 'b'],
      ['operator', '*'],
      ['blockComment', '/*x*/'],
      ['word', 'c'],
    ]);
  });
});

describe('tokenize: unterminated tokens run to the end', () => {
  const cases: [string, Dialect, string][] = [
    ["SELECT 'abc; SELECT 2;", 'postgres', 'string'],
    ["SELECT E'abc\\'; x", 'postgres', 'string'],
    ['SELECT "abc; x', 'postgres', 'quotedIdent'],
    ['SELECT 1 /* a /* b */ c', 'postgres', 'blockComment'],
    ['SELECT 1 /* a', 'sqlite', 'blockComment'],
    ['AS $fn$ body; $fn', 'postgres', 'dollarString'],
    ['AS $$ body; $', 'postgres', 'dollarString'],
    ['SELECT [abc; x', 'sqlite', 'quotedIdent'],
    ['SELECT `abc; x', 'sqlite', 'quotedIdent'],
  ];
  for (const [text, dialect, kind] of cases) {
    it(`${dialect}: ${text}`, () => {
      const tokens = tokenize(text, dialect);
      const last = tokens[tokens.length - 1]!;
      expect(last.kind).toBe(kind);
      expect(last.end).toBe(text.length);
      expect(last.unterminated).toBe(true);
      expect(tokens.filter((t) => t.unterminated)).toHaveLength(1);
    });
  }

  it('does not mark terminated tokens', () => {
    expect(tokenize("'a' /* b */ $$c$$", 'postgres').some((t) => t.unterminated)).toBe(false);
  });
});

describe('tokenize: numbers, words and offsets', () => {
  it('reads numbers in their usual forms', () => {
    expect(lex('1 1.5 .5 1e10 2.5E-3 0x1F 1_000_000 1..2')).toEqual([
      ['number', '1'],
      ['number', '1.5'],
      ['number', '.5'],
      ['number', '1e10'],
      ['number', '2.5E-3'],
      ['number', '0x1F'],
      ['number', '1_000_000'],
      ['number', '1'],
      ['punct', '.'],
      ['number', '.2'],
    ]);
  });

  it('counts offsets in UTF-16 code units across astral characters, CJK and CRLF', () => {
    const text = "SELECT '🚀😀' AS \"名前\",\r\n 𠀋x";
    const tokens = tokenize(text, 'postgres');
    const str = tokens.find((t) => t.kind === 'string')!;
    expect(str.start).toBe(7);
    expect(str.end).toBe(7 + 1 + 4 + 1);
    expect(text.slice(str.start, str.end)).toBe("'🚀😀'");
    const ident = tokens.find((t) => t.kind === 'quotedIdent')!;
    expect(text.slice(ident.start, ident.end)).toBe('"名前"');
    // A non-ASCII identifier keeps its surrogate pair together.
    const last = tokens[tokens.length - 1]!;
    expect(last.kind).toBe('word');
    expect(text.slice(last.start, last.end)).toBe('𠀋x');
  });

  it('treats a byte order mark as whitespace', () => {
    expect(tokenize('\uFEFFSELECT 1', 'postgres')[0]).toEqual({ kind: 'whitespace', start: 0, end: 1 });
  });

  it('reads semicolons, punctuation and operators', () => {
    expect(lex('a>=b;(c)<>d||e')).toEqual([
      ['word', 'a'],
      ['operator', '>='],
      ['word', 'b'],
      ['semicolon', ';'],
      ['punct', '('],
      ['word', 'c'],
      ['punct', ')'],
      ['operator', '<>'],
      ['word', 'd'],
      ['operator', '||'],
      ['word', 'e'],
    ]);
  });
});
