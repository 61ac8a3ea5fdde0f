import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redactLiterals } from '../../../src/core/sql/redact';

describe('redactLiterals', () => {
  it('replaces strings and numbers with numbered $n placeholders, keeping identifiers and keywords', () => {
    expect(redactLiterals("SELECT id, \"Name\" FROM users WHERE email = 'ann@example.com' AND age > 42 LIMIT 10", 'postgres')).toBe(
      'SELECT id, "Name" FROM users WHERE email = $1 AND age > $2 LIMIT $3',
    );
  });

  it('uses ?n placeholders for SQLite and keeps [bracketed] and `backtick` identifiers', () => {
    expect(redactLiterals("SELECT [user name], `kind` FROM t WHERE x = 'secret' AND y = x'00ff' AND z = 3.5", 'sqlite')).toBe(
      'SELECT [user name], `kind` FROM t WHERE x = ?1 AND y = ?2 AND z = ?3',
    );
  });

  it('numbers placeholders above the highest existing parameter and keeps existing parameters', () => {
    expect(redactLiterals("SELECT * FROM t WHERE a = $1 AND b = $2 AND c = 'x'", 'postgres')).toBe(
      'SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $3',
    );
    expect(redactLiterals("SELECT * FROM t WHERE a = ?7 AND b = :name AND c = 'x'", 'sqlite')).toBe(
      'SELECT * FROM t WHERE a = ?7 AND b = :name AND c = ?8',
    );
  });

  it('replaces every kind of string literal, including escapes, prefixes and typed literals', () => {
    const out = redactLiterals("SELECT E'it\\'s', U&'d\\0061t', B'101', X'1F', 'a''b', DATE '2024-01-01', '1'::int", 'postgres');
    expect(out).toBe('SELECT $1, $2, $3, $4, $5, DATE $6, $7::int');
  });

  it('replaces dollar-quoted literals, but redacts routine bodies in place', () => {
    expect(redactLiterals("INSERT INTO notes VALUES ($$dear diary; it's me$$, $t$x$t$)", 'postgres')).toBe(
      'INSERT INTO notes VALUES ($1, $2)',
    );
    const fn = "CREATE FUNCTION f(a int) RETURNS text LANGUAGE plpgsql AS $fn$\nBEGIN\n  IF a > 100 THEN RETURN 'big'; END IF;\n  RETURN $q$small$q$;\nEND;\n$fn$;";
    expect(redactLiterals(fn, 'postgres')).toBe(
      'CREATE FUNCTION f(a int) RETURNS text LANGUAGE plpgsql AS $fn$\nBEGIN\n  IF a > $1 THEN RETURN $2; END IF;\n  RETURN $3;\nEND;\n$fn$;',
    );
    expect(redactLiterals("DO LANGUAGE plpgsql $$ BEGIN RAISE NOTICE 'pin 1234'; END $$", 'postgres')).toBe(
      'DO LANGUAGE plpgsql $$ BEGIN RAISE NOTICE $1; END $$',
    );
  });

  it('strips comments, because they are free text that may hold data', () => {
    expect(redactLiterals("SELECT a -- customer ann@example.com\nFROM t /* card 4111 */ WHERE b/*x*/=1", 'postgres')).toBe(
      'SELECT a \nFROM t   WHERE b =$1',
    );
  });

  it('redacts unterminated literals too, and never throws', () => {
    expect(redactLiterals("SELECT 'unfinished secret", 'postgres')).toBe('SELECT $1');
    expect(redactLiterals('SELECT $$ half a body', 'postgres')).toBe('SELECT $1');
    expect(redactLiterals('', 'postgres')).toBe('');
  });

  it('keeps placeholders separate from neighbouring identifiers and dollar signs', () => {
    expect(redactLiterals("SELECT foo'bar'", 'postgres')).toBe('SELECT foo $1');
    expect(redactLiterals("SELECT $'x'", 'postgres')).toBe('SELECT $ $1');
    expect(redactLiterals("SELECT 'a'1", 'postgres')).toBe('SELECT $1 $2');
  });

  it('keeps non-ASCII identifiers and removes non-ASCII data', () => {
    expect(redactLiterals("SELECT \"名前\" FROM \"顧客\" WHERE motto = 'ようこそ 🚀'", 'postgres')).toBe(
      'SELECT "名前" FROM "顧客" WHERE motto = $1',
    );
  });

  it('drops the data rows of COPY … FROM STDIN whole, keeping the statements and the \\. line', () => {
    const dump = readFileSync(join(__dirname, '..', '..', 'fixtures', 'sql', 'dump.pg.sql'), 'utf8');
    const out = redactLiterals(dump, 'postgres');
    for (const data of ["O'Brien", 'Brien', 'Zoë', 'dollar', 'not SQL']) expect(out).not.toContain(data);
    expect(out).toContain('COPY public.customers (id, name, note) FROM stdin;\n\\.\n');
    expect(out).toContain('SELECT pg_catalog.setval($');
    expect(out).toContain('ADD CONSTRAINT customers_pkey PRIMARY KEY (id);');
    // Data that never reaches its \\. line is dropped to the end.
    expect(redactLiterals('COPY t FROM stdin;\nsecret\tvalue\n', 'postgres')).toBe('COPY t FROM stdin;\n');
  });
});
