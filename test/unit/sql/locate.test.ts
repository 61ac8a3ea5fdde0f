import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../src/core/sql/dialect';
import { copyDataBlocks, split, statementAt } from '../../../src/core/sql/locate';

const CURSOR = '▮';

/** Takes SQL with one ▮ marking the cursor; returns the located statement's text (or null). */
function at(marked: string, dialect: Dialect = 'postgres'): string | null {
  const cursor = marked.indexOf(CURSOR);
  if (cursor === -1 || marked.indexOf(CURSOR, cursor + 1) !== -1) throw new Error('mark exactly one cursor');
  const text = marked.slice(0, cursor) + marked.slice(cursor + 1);
  const found = statementAt(text, cursor, dialect);
  if (found) expect(found.text).toBe(text.slice(found.start, found.end));
  return found ? found.text : null;
}

function texts(text: string, dialect: Dialect = 'postgres'): string[] {
  return split(text, dialect).map((s) => s.text);
}

describe('statementAt: cursor inside and around statements', () => {
  it('finds the statement the cursor is in, without the trailing ;', () => {
    expect(at('SELECT 1;\nSELECT ▮2;\nSELECT 3;')).toBe('SELECT 2');
    expect(at('▮SELECT 1;\nSELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1;\nSELECT 2▮;')).toBe('SELECT 2');
  });

  it('gives a cursor right after ; to the statement that ; ends', () => {
    expect(at('SELECT 1;▮\nSELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1;   ▮\nSELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1; -- done ▮\nSELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1; /* done */ ▮\nSELECT 2;')).toBe('SELECT 1');
    // Even when the next statement starts right there on the same line.
    expect(at('SELECT 1;▮SELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1; ▮ SELECT 2;')).toBe('SELECT 1');
    expect(at('SELECT 1; /* c */ ▮ SELECT 2;')).toBe('SELECT 1');
    // A cursor touching the next statement's first token (and not the ;) is in that statement.
    expect(at('SELECT 1; ▮SELECT 2;')).toBe('SELECT 2');
  });

  it('gives a cursor in the middle of the next statement on the same line to that statement', () => {
    expect(at('SELECT 1; SEL▮ECT 2;')).toBe('SELECT 2');
  });

  it('gives leading whitespace on the statement line to that statement', () => {
    expect(at('SELECT 1;\n\n▮    SELECT 2;')).toBe('SELECT 2');
    expect(at('SELECT 1;\n\n  ▮  SELECT 2;')).toBe('SELECT 2');
    expect(at('SELECT 1;\n\n/* lead */ ▮ SELECT 2;')).toBe('SELECT 2');
  });

  it('returns null in blank lines between statements', () => {
    expect(at('SELECT 1;\n▮\nSELECT 2;')).toBeNull();
    expect(at('SELECT 1;\n  ▮  \nSELECT 2;')).toBeNull();
    expect(at('SELECT 1;\n\n▮')).toBeNull();
  });

  it('returns null in text that is only comments and whitespace', () => {
    expect(at('-- nothing ▮ here\n')).toBeNull();
    expect(at('/* a ▮ */ -- b')).toBeNull();
    expect(at('▮')).toBeNull();
    expect(at('  \n ▮ \r\n ')).toBeNull();
    expect(at(';;▮;')).toBeNull();
  });

  it('returns null on a comment line between statements (comments are not part of a statement)', () => {
    expect(at('SELECT 1;\n-- next: ▮the count\nSELECT 2;')).toBeNull();
  });

  it('finds a statement with no trailing ; and trailing space on its last line', () => {
    expect(at('SELECT 1;\nSELECT 2   ▮')).toBe('SELECT 2');
    expect(at('SELECT 1;\nSELECT 2\n▮')).toBeNull();
  });

  it('keeps comments inside a statement and drops them around it', () => {
    const text = '-- header\nSELECT a, -- the a\n  b /* and b */\nFROM t -- tail\n; -- after';
    expect(texts(text)).toEqual(['SELECT a, -- the a\n  b /* and b */\nFROM t']);
    expect(at('-- header\nSELECT a, -- the ▮a\n  b FROM t;')).toBe('SELECT a, -- the a\n  b FROM t');
  });

  it('gives the cursor between the last token and ; to the statement', () => {
    expect(at('SELECT 1 /* x ▮ */ ;')).toBe('SELECT 1');
  });

  it('clamps cursors outside the text instead of throwing', () => {
    expect(statementAt('SELECT 1', -5, 'postgres')?.text).toBe('SELECT 1');
    expect(statementAt('SELECT 1', 99, 'postgres')?.text).toBe('SELECT 1');
    expect(statementAt('SELECT 1', Number.NaN, 'postgres')?.text).toBe('SELECT 1');
  });
});

describe('statementAt: selections', () => {
  const text = 'SELECT 1;\n  SELECT 2 ;  \nSELECT 3;';

  it('returns the selected text trimmed, without a trailing ;', () => {
    const start = text.indexOf('  SELECT 2');
    const end = text.indexOf('\nSELECT 3');
    const found = statementAt(text, { start, end }, 'postgres');
    expect(found).toEqual({ start: start + 2, end: start + 10, text: 'SELECT 2' });
  });

  it('accepts a backwards selection and a selection spanning statements', () => {
    const found = statementAt(text, { start: text.length, end: 0 }, 'postgres');
    expect(found?.text).toBe('SELECT 1;\n  SELECT 2 ;  \nSELECT 3');
    expect(found?.start).toBe(0);
  });

  it('takes part of a statement as is', () => {
    const start = text.indexOf('1');
    expect(statementAt(text, { start, end: start + 1 }, 'postgres')?.text).toBe('1');
  });

  it('treats an empty selection as a cursor and a whitespace-only selection as nothing', () => {
    expect(statementAt(text, { start: 3, end: 3 }, 'postgres')?.text).toBe('SELECT 1');
    expect(statementAt('SELECT 1;\n\n\nSELECT 2', { start: 10, end: 11 }, 'postgres')).toBeNull();
    expect(statementAt('SELECT 1;\n ; \n', { start: 9, end: 14 }, 'postgres')).toBeNull();
    expect(statementAt('SELECT 1; -- note\n/* x */ ;', { start: 9, end: 27 }, 'postgres')).toBeNull();
  });

  it('keeps a ; that belongs to an unterminated string in the selection', () => {
    const sql = "SELECT 'a;";
    expect(statementAt(sql, { start: 0, end: sql.length }, 'postgres')?.text).toBe("SELECT 'a;");
  });
});

describe('split: PostgreSQL', () => {
  it('does not end statements at ; inside strings, identifiers, comments or dollar quotes', () => {
    const text = [
      "SELECT 'a;b', E'c\\';d', \"e;f\" FROM t; -- g;h",
      '/* i; /* j; */ k; */ SELECT 2;',
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;',
      'DO $body$ BEGIN PERFORM 1; END $body$;',
    ].join('\n');
    expect(texts(text)).toEqual([
      "SELECT 'a;b', E'c\\';d', \"e;f\" FROM t",
      'SELECT 2',
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql',
      'DO $body$ BEGIN PERFORM 1; END $body$',
    ]);
  });

  it('does not treat $1 or foo$bar as dollar quotes', () => {
    expect(texts('SELECT $1; SELECT foo$bar FROM t$; SELECT 3')).toEqual(['SELECT $1', 'SELECT foo$bar FROM t$', 'SELECT 3']);
  });

  it('keeps CREATE FUNCTION … BEGIN ATOMIC … END together, with CASE … END inside', () => {
    const text = [
      'CREATE OR REPLACE FUNCTION m(a int, b int) RETURNS int LANGUAGE sql',
      'BEGIN ATOMIC',
      '  SELECT CASE WHEN a > b THEN a ELSE CASE WHEN b > 0 THEN b END END;',
      '  SELECT 1;',
      'END;',
      'SELECT m(1, 2);',
    ].join('\n');
    const found = texts(text);
    expect(found).toHaveLength(2);
    expect(found[0]).toMatch(/^CREATE OR REPLACE FUNCTION m.*\n {2}SELECT 1;\nEND$/s);
    expect(found[1]).toBe('SELECT m(1, 2)');
  });

  it('ends a plain BEGIN transaction at its ;', () => {
    expect(texts('BEGIN; UPDATE t SET a = 1; END; COMMIT;')).toEqual(['BEGIN', 'UPDATE t SET a = 1', 'END', 'COMMIT']);
    expect(texts('CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql; BEGIN; SELECT 1;')).toEqual([
      'CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql',
      'BEGIN',
      'SELECT 1',
    ]);
  });

  it('skips psql meta-commands and lets one end the statement before it', () => {
    expect(texts('\\set ON_ERROR_STOP on\nSELECT 1;\n\\echo done\nSELECT 2 \\gx\nSELECT 3;')).toEqual([
      'SELECT 1',
      'SELECT 2',
      'SELECT 3',
    ]);
    expect(texts("SELECT E'\\\\';")).toEqual(["SELECT E'\\\\'"]);
  });

  it('handles CRLF line endings', () => {
    const text = 'SELECT 1;\r\n\r\nSELECT 2\r\n  FROM t;\r\n';
    expect(split(text, 'postgres')).toEqual([
      { start: 0, end: 8, text: 'SELECT 1' },
      { start: 13, end: 31, text: 'SELECT 2\r\n  FROM t' },
    ]);
  });

  it('runs an unterminated string or comment to the end of the text', () => {
    expect(texts("SELECT 'abc;\nSELECT 2;")).toEqual(["SELECT 'abc;\nSELECT 2;"]);
    expect(texts('SELECT 1 /* oops;\nSELECT 2;')).toEqual(['SELECT 1 /* oops;\nSELECT 2;']);
    expect(texts('SELECT 1;\n/* trailing; unterminated')).toEqual(['SELECT 1']);
    expect(texts('DO $$ BEGIN; SELECT 2;')).toEqual(['DO $$ BEGIN; SELECT 2;']);
  });

  it('skips empty statements and returns nothing for comment-only text', () => {
    expect(texts(';;SELECT 1;;; ;SELECT 2;')).toEqual(['SELECT 1', 'SELECT 2']);
    expect(split('-- a\n/* b */\n\n', 'postgres')).toEqual([]);
    expect(split('', 'sqlite')).toEqual([]);
  });

  it('keeps the parenthesized actions of CREATE RULE together', () => {
    expect(texts('CREATE OR REPLACE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t); SELECT 1;')).toEqual([
      'CREATE OR REPLACE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); NOTIFY t)',
      'SELECT 1',
    ]);
  });

  it('skips the inline data of COPY … FROM STDIN through the \\. line', () => {
    const text = "COPY t (a, b) FROM stdin;\n1\tit's; /* odd\n2\t$$x\n\\.\nSELECT 2;\r\nCOPY t FROM STDIN WITH (FORMAT csv);\r\n'\r\n\\.\r\nSELECT 3;";
    expect(texts(text)).toEqual(['COPY t (a, b) FROM stdin', 'SELECT 2', 'COPY t FROM STDIN WITH (FORMAT csv)', 'SELECT 3']);
    expect(at("COPY t FROM stdin;\n1\t▮x'\n\\.\nSELECT 2;")).toBeNull();
    // Data that never ends runs to the end of the text; COPY to a file or to STDOUT has no inline data.
    expect(texts("COPY t FROM stdin;\n1\t'\nSELECT 2;")).toEqual(['COPY t FROM stdin']);
    expect(texts("COPY t FROM '/tmp/x.csv'; SELECT 2; COPY (SELECT 1) TO STDOUT; SELECT 3;")).toEqual([
      "COPY t FROM '/tmp/x.csv'",
      'SELECT 2',
      'COPY (SELECT 1) TO STDOUT',
      'SELECT 3',
    ]);
    // SQLite has no COPY, and its lexer knows nothing of the data.
    expect(texts('COPY t FROM stdin;\n1;\n\\.\n', 'sqlite')).toHaveLength(3);
  });

  it('reports the COPY data blocks, from the line after ; through the \\. line', () => {
    const text = 'COPY t FROM stdin; -- rows\r\n1\ta\r\n\\.\r\nSELECT 1;';
    const start = text.indexOf('1\ta');
    expect(copyDataBlocks(text, 'postgres')).toEqual([{ start, end: text.indexOf('\\.') + 2 }]);
    expect(copyDataBlocks('COPY t FROM stdin;', 'postgres')).toEqual([{ start: 18, end: 18 }]);
    expect(copyDataBlocks(text, 'sqlite')).toEqual([]);
  });

  it("skips the data of psql's client-side \\copy … from stdin through \\., even with a quote in it", () => {
    const text = "\\copy people (name) from stdin\nO'Brien\n\\.\nSELECT 1;\nSELECT 2;\n";
    expect(texts(text)).toEqual(['SELECT 1', 'SELECT 2']);
    expect(statementAt(text, text.indexOf("O'Brien") + 2, 'postgres')).toBeNull();
    const start = text.indexOf("O'Brien");
    expect(copyDataBlocks(text, 'postgres')).toEqual([{ start, end: text.indexOf('\\.') + 2 }]);
    // A statement before the meta-command still ends there; CRLF lines and a missing \. (data to the end) too.
    expect(texts("SELECT 0\n\\copy t FROM STDIN WITH (FORMAT csv)\r\na,'b\r\n\\.\r\nSELECT 1;")).toEqual(['SELECT 0', 'SELECT 1']);
    expect(texts("\\copy t from stdin\nx'y;\nSELECT 1;")).toEqual([]);
  });

  it('\\copy from a file, a quoted name that says "from stdin", or pstdin reads no data from the script', () => {
    expect(texts("\\copy t from 'from stdin.csv'\nSELECT 1;\n\\copy t from pstdin\nSELECT 2;\n\\copy t to stdout\nSELECT 3;")).toEqual([
      'SELECT 1',
      'SELECT 2',
      'SELECT 3',
    ]);
  });

  it('a parameter named begin before a BEGIN ATOMIC body does not end the statement early', () => {
    const fn = 'CREATE FUNCTION f(begin int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT begin; END';
    expect(texts(`${fn};\nSELECT 3;`)).toEqual([fn, 'SELECT 3']);
    // Without ATOMIC there is no body: the statement ends at its ;.
    expect(texts("CREATE FUNCTION g(begin int) RETURNS int LANGUAGE sql AS 'SELECT 1'; SELECT 2;")).toEqual([
      "CREATE FUNCTION g(begin int) RETURNS int LANGUAGE sql AS 'SELECT 1'",
      'SELECT 2',
    ]);
  });

  it('does not count parentheses, so a half-typed ( cannot swallow the rest', () => {
    expect(texts('SELECT (1;\nSELECT 2;')).toEqual(['SELECT (1', 'SELECT 2']);
  });
});

describe('split: SQLite', () => {
  it('keeps CREATE TRIGGER … BEGIN …; …; END as one statement', () => {
    const text = [
      'CREATE TRIGGER t1 AFTER INSERT ON a BEGIN',
      '  INSERT INTO log VALUES (new.id);',
      '  UPDATE c SET n = n + 1;',
      'END;',
      'SELECT 1;',
    ].join('\n');
    expect(texts(text, 'sqlite')).toEqual([
      'CREATE TRIGGER t1 AFTER INSERT ON a BEGIN\n  INSERT INTO log VALUES (new.id);\n  UPDATE c SET n = n + 1;\nEND',
      'SELECT 1',
    ]);
  });

  it('does not end the trigger at the END of a CASE, nested or not', () => {
    const text = [
      'create temp trigger if not exists t2 before update on a when new.x > 0 begin',
      '  update b set y = case when new.x > 1 then case new.x when 2 then 0 else 1 end else 2 end;',
      '  select case 1 when 1 then 1 end;',
      'end;',
      'select 2;',
    ].join('\n');
    const found = texts(text, 'sqlite');
    expect(found).toHaveLength(2);
    expect(found[0]!.endsWith('select case 1 when 1 then 1 end;\nend')).toBe(true);
    expect(found[1]).toBe('select 2');
  });

  it('ends a trigger that never reached BEGIN at its ;', () => {
    expect(texts('CREATE TRIGGER broken AFTER INSERT ON a; SELECT 1;', 'sqlite')).toEqual([
      'CREATE TRIGGER broken AFTER INSERT ON a',
      'SELECT 1',
    ]);
  });

  it('recognizes trigger bodies only in SQLite, and only in a statement that starts with CREATE', () => {
    const text = 'CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;';
    expect(texts(text, 'postgres')).toEqual(['CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1', 'END']);
    expect(texts(`(${text}`, 'sqlite')).toEqual(['(CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1', 'END']);
  });

  it('does not treat BEGIN … END outside a trigger as one statement', () => {
    expect(texts('BEGIN; INSERT INTO a VALUES (1); END;', 'sqlite')).toEqual(['BEGIN', 'INSERT INTO a VALUES (1)', 'END']);
  });

  it('does not end statements at ; in bracketed or backticked identifiers, and does not nest comments', () => {
    expect(texts('SELECT [a;b], `c;d` FROM t; /* x /* y */ SELECT 2;', 'sqlite')).toEqual([
      'SELECT [a;b], `c;d` FROM t',
      'SELECT 2',
    ]);
  });

  it('treats $ as a parameter sigil, not a dollar quote', () => {
    expect(texts('SELECT $a; SELECT $$; SELECT 3;', 'sqlite')).toEqual(['SELECT $a', 'SELECT $$', 'SELECT 3']);
  });
});

describe('non-ASCII text', () => {
  it('reports UTF-16 offsets around emoji, astral CJK and accented text', () => {
    const text = "SELECT '🚀'; SELECT '𠀋東京';\nSELECT 'Zoë' AS \"名前\";";
    const found = split(text, 'postgres');
    expect(found.map((s) => s.text)).toEqual(["SELECT '🚀'", "SELECT '𠀋東京'", "SELECT 'Zoë' AS \"名前\""]);
    // '🚀' and '𠀋' are two UTF-16 code units each.
    expect(found[0]).toMatchObject({ start: 0, end: 11 });
    expect(found[1]).toMatchObject({ start: 13, end: 13 + 13 });
    for (const s of found) expect(text.slice(s.start, s.end)).toBe(s.text);
    // The cursor right after the emoji's second code unit is still inside the first statement.
    expect(statementAt(text, 10, 'postgres')?.text).toBe("SELECT '🚀'");
  });
});
