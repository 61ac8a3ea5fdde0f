// The locator on realistic SQL files: a PostgreSQL migration, a psql script with CRLF line endings, a SQLite
// schema with triggers, and non-ASCII data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../src/core/sql/dialect';
import { split, statementAt } from '../../../src/core/sql/locate';
import { tokenize } from '../../../src/core/sql/lexer';

const dir = join(__dirname, '..', '..', 'fixtures', 'sql');
const read = (name: string): string => readFileSync(join(dir, name), 'utf8');

/** Each statement as [first 40 code units, last 25 code units]. */
function outline(text: string, dialect: Dialect): [string, string][] {
  return split(text, dialect).map((s) => [s.text.slice(0, 40), s.text.slice(-25)]);
}

/** The statement found with the cursor just after the first occurrence of `needle`. */
function atAfter(text: string, needle: string, dialect: Dialect): string | undefined {
  const i = text.indexOf(needle);
  if (i === -1) throw new Error(`fixture lacks ${needle}`);
  return statementAt(text, i + needle.length, dialect)?.text;
}

describe('fixture: PostgreSQL migration (functions, DO blocks, dollar quotes, BEGIN ATOMIC)', () => {
  const text = read('migration.pg.sql');

  it('splits into its ten statements', () => {
    expect(outline(text, 'postgres')).toEqual([
      ['SET search_path = shop, public', 'earch_path = shop, public'],
      ['CREATE TABLE IF NOT EXISTS shop.order_ar', ' NOT NULL DEFAULT now()\n)'],
      ['COMMENT ON TABLE shop.order_archive IS E', "y; use archive_orders().'"],
      ['CREATE OR REPLACE FUNCTION shop.archive_', '  RETURN moved;\nEND;\n$fn$'],
      ['CREATE FUNCTION shop.order_total(order_i', 'e_items.order_id = $1; $$'],
      ['DO $do$\nBEGIN\n    IF NOT EXISTS (SELECT ', "g');\n    END IF;\nEND\n$do$"],
      ['CREATE FUNCTION shop.larger(a integer, b', ' b THEN a ELSE b END;\nEND'],
      ['CREATE PROCEDURE shop.reset_counters()\nL', 'HEN value ELSE 0 END;\nEND'],
      ['PREPARE recent_orders (bigint, int) AS\n ', ' created_at DESC LIMIT $2'],
      ['SELECT o.id, o.status::text, o.price$usd', "ow() - interval '30 days'"],
    ]);
  });

  it('finds the whole function from inside its dollar-quoted body', () => {
    expect(atAfter(text, 'GET DIAGNOSTICS', 'postgres')).toMatch(/^CREATE OR REPLACE FUNCTION shop\.archive_orders.*\$fn\$$/s);
    expect(atAfter(text, "RAISE NOTICE 'archived % orders;", 'postgres')).toMatch(/^CREATE OR REPLACE FUNCTION/);
  });

  it('finds the DO block from inside the nested $q$ quote', () => {
    expect(atAfter(text, 'CREATE ROLE %I', 'postgres')).toMatch(/^DO \$do\$.*\$do\$$/s);
  });

  it('finds the BEGIN ATOMIC function from its body', () => {
    expect(atAfter(text, 'SELECT CASE WHEN a > b THEN a ELSE b END;', 'postgres')).toMatch(/^CREATE FUNCTION shop\.larger.*END$/s);
  });

  it('returns null in the header comments and on blank lines', () => {
    expect(atAfter(text, 'Header block comment', 'postgres')).toBeUndefined();
    expect(statementAt(text, 0, 'postgres')).toBeNull();
    expect(atAfter(text, 'SET search_path = shop, public;\n', 'postgres')).toBeUndefined();
  });

  it('gives the trailing comment on the last statement line to that statement', () => {
    expect(atAfter(text, 'trailing comment', 'postgres')).toMatch(/^SELECT o\.id/);
  });
});

describe('fixture: psql script with CRLF line endings', () => {
  const text = read('psql.crlf.sql');

  it('really has CRLF line endings', () => {
    expect(text).toContain('\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('skips the meta-command and splits the rest', () => {
    expect(outline(text, 'postgres')).toEqual([
      ['BEGIN', 'BEGIN'],
      ['CREATE TABLE report_runs (\r\n    id seria', " DEFAULT 'nightly;run'\r\n)"],
      ['INSERT INTO report_runs (label) VALUES (', "UES ('first'), ('second')"],
      ['SELECT count(*)\r\n  FROM report_runs\r\n WH', "runs\r\n WHERE label <> 'x'"],
      ['COMMIT', 'COMMIT'],
    ]);
  });

  it('gives trailing spaces after ; to the statement, and the next line to nothing', () => {
    expect(atAfter(text, "('second');  ", 'postgres')).toMatch(/^INSERT INTO report_runs/);
    expect(atAfter(text, 'how many so far', 'postgres')).toMatch(/^SELECT count\(\*\)/);
    expect(atAfter(text, 'how many so far\r\n', 'postgres')).toBeUndefined();
  });

  it('treats the carriage return as a line break for the same-line rule', () => {
    const i = text.indexOf("('second');") + "('second');".length;
    const lineEnd = text.indexOf('\r\n', i);
    expect(statementAt(text, lineEnd, 'postgres')?.text).toMatch(/^INSERT/);
    expect(statementAt(text, lineEnd + 1, 'postgres')).toBeNull();
  });
});

describe('fixture: SQLite schema with triggers', () => {
  const text = read('schema.sqlite.sql');

  it('keeps each trigger whole, CASE … END included', () => {
    expect(outline(text, 'sqlite')).toEqual([
      ['PRAGMA foreign_keys = ON', 'PRAGMA foreign_keys = ON'],
      ['CREATE TABLE IF NOT EXISTS [events] (\n  ', "FAULT (datetime('now'))\n)"],
      ['CREATE TABLE event_counts (kind TEXT PRI', 'L DEFAULT 0, bucket TEXT)'],
      ['CREATE TRIGGER IF NOT EXISTS events_coun', 'RE kind = NEW.`kind`;\nEND'],
      ['CREATE TEMP TRIGGER events_guard BEFORE ', "-only; use archive');\nEND"],
      ['INSERT INTO [events] (`kind`, [user name', "d, @user), ($kind, 'Zoë')"],
      ['SELECT e.[user name], count(*) AS n\nFROM', 'ROUP BY 1\nORDER BY n DESC'],
    ]);
  });

  it('finds the trigger from a line of its body after an inner CASE … END', () => {
    expect(atAfter(text, "ELSE 'large'", 'sqlite')).toMatch(/^CREATE TRIGGER IF NOT EXISTS events_count.*END$/s);
    expect(atAfter(text, 'WHERE kind = NEW.`kind`;', 'sqlite')).toMatch(/^CREATE TRIGGER IF NOT EXISTS/);
  });

  it('splits differently as PostgreSQL, where the comment opener nests and the comment swallows the rest', () => {
    const asPostgres = split(text, 'postgres');
    expect(asPostgres).toHaveLength(3);
    expect(asPostgres[2]!.end).toBeLessThan(text.indexOf('/* Triggers'));
  });
});

describe('fixture: non-ASCII data', () => {
  const text = read('unicode.pg.sql');

  it('splits around emoji, flags, CJK and astral ideographs with exact UTF-16 ranges', () => {
    const found = split(text, 'postgres');
    expect(found.map((s) => s.text.slice(0, 12))).toEqual(['INSERT INTO ', 'SELECT "名前",', 'UPDATE "顧客" ', "SELECT 'afte"]);
    for (const s of found) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(found[3]!.text).toBe("SELECT 'after 😀'");
    expect(found[3]!.end).toBe(text.lastIndexOf(';'));
  });

  it('gives the comment between two statements on one line to the first', () => {
    expect(atAfter(text, '说明', 'postgres')).toBe('UPDATE "顧客" SET "名前" = \'Ωmega 😀\' WHERE id = 7');
  });
});

describe('fixture: pg_dump output (COPY data, CREATE RULE)', () => {
  const text = read('dump.pg.sql');

  it('splits around the COPY data block, whose quotes and comment openers are not SQL', () => {
    expect(split(text, 'postgres').map((s) => s.text.split('\n')[0])).toEqual([
      'SET statement_timeout = 0',
      "SET client_encoding = 'UTF8'",
      'SET standard_conforming_strings = on',
      "SELECT pg_catalog.set_config('search_path', '', false)",
      'CREATE TABLE public.customers (',
      'CREATE RULE customers_log AS ON UPDATE TO public.customers DO ALSO (',
      'COPY public.customers (id, name, note) FROM stdin',
      "SELECT pg_catalog.setval('public.customers_id_seq', 3, true)",
      'ALTER TABLE ONLY public.customers',
    ]);
  });

  it('returns null inside the data and finds the statements after it', () => {
    expect(atAfter(text, "it's; not SQL", 'postgres')).toBeUndefined();
    expect(atAfter(text, 'ADD CONSTRAINT', 'postgres')).toMatch(/^ALTER TABLE ONLY public\.customers/);
  });
});

describe('every fixture', () => {
  const files: [string, Dialect][] = [
    ['migration.pg.sql', 'postgres'],
    ['dump.pg.sql', 'postgres'],
    ['psql.crlf.sql', 'postgres'],
    ['schema.sqlite.sql', 'sqlite'],
    ['unicode.pg.sql', 'postgres'],
  ];
  for (const [name, dialect] of files) {
    it(`${name}: statements start and end on token boundaries, and statementAt agrees with split everywhere`, () => {
      const text = read(name);
      const tokens = tokenize(text, dialect);
      const starts = new Set(tokens.map((t) => t.start));
      const ends = new Set(tokens.map((t) => t.end));
      const statements = split(text, dialect);
      // tokenize lexes SQL only; COPY data is not SQL, so after a data block the two may disagree.
      const copyData = text.indexOf('\n\\.\n');
      for (const s of statements.filter((st) => copyData === -1 || st.end < copyData)) {
        expect(starts.has(s.start)).toBe(true);
        expect(ends.has(s.end)).toBe(true);
      }
      for (let offset = 0; offset <= text.length; offset++) {
        const found = statementAt(text, offset, dialect);
        if (found) expect(statements).toContainEqual(found);
        const inside = statements.find((s) => s.start <= offset && offset <= s.end);
        // The one exception: `;▮SELECT` belongs to the statement that `;` ends.
        if (inside && !(offset === inside.start && text[offset - 1] === ';')) expect(found).toEqual(inside);
      }
    });
  }
});
