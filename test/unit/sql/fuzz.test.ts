// Fuzzing the lexer, the locator and the redactor with a seeded PRNG, so every failure is reproducible: random
// soups of SQL-ish fragments and mutations of the real fixture files (inserted quotes, dollar signs, comment
// openers, semicolons, deletions, truncation). The invariants are those the editor relies on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../../src/core/sql/dialect';
import { tokenize } from '../../../src/core/sql/lexer';
import type { Statement } from '../../../src/core/sql/locate';
import { split, statementAt } from '../../../src/core/sql/locate';
import { redactLiterals } from '../../../src/core/sql/redact';

/** mulberry32: tiny, fast and good enough to drive a fuzzer. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fragments = [
  "'", "''", '"', '$', '$$', '$a$', '$1', '$tag$', '/*', '*/', '--', ';', ';', ';', '\n', '\r\n', '\r', ' ', '  ', '\t',
  "E'", "e'\\'", '\\', '\\set x\n', '[', ']', '`', '?', '?1', ':n', '@p', 'BEGIN', 'END', 'CASE', 'ATOMIC',
  'CREATE TRIGGER t AFTER INSERT ON x ', 'CREATE FUNCTION f() ', 'CREATE ', 'BEGIN ATOMIC ', ' END;', 'SELECT ', 'x', 'foo$bar',
  '1', '1.5e3', '0x1F', '.', '(', ')', ',', '::', '||', '🚀', '東京', '𠀋', '\uD800', '\uDC00', '\uFEFF', 'ë', 'U&\'', "X'",
];

function soup(rand: () => number, pieces: number): string {
  let out = '';
  for (let i = 0; i < pieces; i++) out += fragments[Math.floor(rand() * fragments.length)]!;
  return out;
}

function mutate(rand: () => number, text: string): string {
  const edits = 1 + Math.floor(rand() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (text.length + 1));
    const op = rand();
    if (op < 0.55) text = text.slice(0, at) + fragments[Math.floor(rand() * fragments.length)]! + text.slice(at);
    else if (op < 0.85) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 40));
    else text = text.slice(0, at);
  }
  return text;
}

const fixtureDir = join(__dirname, '..', '..', 'fixtures', 'sql');
const fixtures: [string, Dialect][] = [
  [readFileSync(join(fixtureDir, 'migration.pg.sql'), 'utf8'), 'postgres'],
  [readFileSync(join(fixtureDir, 'psql.crlf.sql'), 'utf8'), 'postgres'],
  [readFileSync(join(fixtureDir, 'schema.sqlite.sql'), 'utf8'), 'sqlite'],
  [readFileSync(join(fixtureDir, 'unicode.pg.sql'), 'utf8'), 'postgres'],
  [readFileSync(join(fixtureDir, 'dump.pg.sql'), 'utf8'), 'postgres'],
];

/** Collects violations instead of asserting per check, so thousands of iterations stay fast and a failure names its input. */
function checkTokens(text: string, dialect: Dialect, problems: string[]): Set<number>[] {
  const tokens = tokenize(text, dialect);
  const starts = new Set<number>();
  const ends = new Set<number>();
  let pos = 0;
  tokens.forEach((t, i) => {
    if (t.start !== pos || t.end <= t.start) problems.push(`token ${i} ${JSON.stringify(t)} does not continue at ${pos}`);
    if (t.unterminated && (i !== tokens.length - 1 || t.end !== text.length)) problems.push(`unterminated token ${i} is not last`);
    starts.add(t.start);
    ends.add(t.end);
    pos = t.end;
  });
  if (pos !== text.length) problems.push(`tokens end at ${pos}, text at ${text.length}`);
  return [starts, ends];
}

function checkStatement(text: string, s: Statement, problems: string[], what: string): void {
  if (!(s.start >= 0 && s.start <= s.end && s.end <= text.length)) problems.push(`${what}: range ${s.start}-${s.end} outside 0-${text.length}`);
  if (s.text !== text.slice(s.start, s.end)) problems.push(`${what}: text is not the slice`);
  if (s.text !== s.text.trim() && !/^[\s\S]*\S/.test(s.text)) problems.push(`${what}: empty statement`);
}

function checkSplit(text: string, dialect: Dialect, boundaries: Set<number>[], problems: string[]): Statement[] {
  const [starts, ends] = boundaries as [Set<number>, Set<number>];
  const statements = split(text, dialect);
  let last = 0;
  // tokenize lexes SQL only: after `COPY … FROM STDIN` data (not SQL) the two may legitimately disagree.
  let afterCopyData = false;
  statements.forEach((s, i) => {
    checkStatement(text, s, problems, `split[${i}]`);
    if (s.start < last) problems.push(`split[${i}] overlaps or is out of order`);
    if (s.start === s.end) problems.push(`split[${i}] is empty`);
    if (!afterCopyData && (!starts.has(s.start) || !ends.has(s.end))) problems.push(`split[${i}] ${s.start}-${s.end} is not on token boundaries`);
    last = s.end;
    if (dialect === 'postgres' && /^copy\b[\s\S]*\bstdin\b/i.test(s.text)) afterCopyData = true;
  });
  return statements;
}

function checkEveryOffset(text: string, dialect: Dialect, statements: Statement[], problems: string[]): void {
  for (let offset = 0; offset <= text.length; offset++) {
    const found = statementAt(text, offset, dialect);
    if (!found) {
      const inside = statements.find((s) => s.start < offset && offset < s.end);
      if (inside) problems.push(`statementAt(${offset}) is null inside ${inside.start}-${inside.end}`);
      continue;
    }
    if (!statements.some((s) => s.start === found.start && s.end === found.end && s.text === found.text)) {
      problems.push(`statementAt(${offset}) = ${found.start}-${found.end} is not a split statement`);
    }
  }
}

function checkRedaction(text: string, dialect: Dialect, problems: string[]): void {
  const redacted = redactLiterals(text, dialect);
  const leftovers = tokenize(redacted, dialect).filter((t) => t.kind === 'string' || t.kind === 'number');
  if (leftovers.length) problems.push(`redaction left ${leftovers.map((t) => redacted.slice(t.start, t.end)).join(' ')}`);
}

function report(problems: string[], text: string, dialect: Dialect, seed: number, iteration: number): void {
  // Only a failing input is worth a message; it names the seed, iteration and text to reproduce it.
  if (problems.length) expect(problems.slice(0, 5), `seed ${seed} iteration ${iteration} (${dialect}) on ${JSON.stringify(text)}`).toEqual([]);
}

describe('fuzz', () => {
  it('random soups: never throws, tokens tile the text, split and statementAt agree at every offset', () => {
    const seed = 1;
    const rand = prng(seed);
    for (let i = 0; i < 1500; i++) {
      const dialect: Dialect = rand() < 0.5 ? 'postgres' : 'sqlite';
      const text = soup(rand, 1 + Math.floor(rand() * 40));
      const problems: string[] = [];
      const boundaries = checkTokens(text, dialect, problems);
      const statements = checkSplit(text, dialect, boundaries, problems);
      checkEveryOffset(text, dialect, statements, problems);
      checkRedaction(text, dialect, problems);
      report(problems, text, dialect, seed, i);
    }
  });

  it('mutated fixture files: never throws, ranges stay valid, selections stay inside the text', () => {
    const seed = 2;
    const rand = prng(seed);
    for (let i = 0; i < 2000; i++) {
      const [source, dialect] = fixtures[i % fixtures.length]!;
      const text = mutate(rand, source);
      const problems: string[] = [];
      const boundaries = checkTokens(text, dialect, problems);
      const statements = checkSplit(text, dialect, boundaries, problems);
      for (let k = 0; k < 20; k++) {
        const a = Math.floor(rand() * (text.length + 1));
        const b = rand() < 0.5 ? a : Math.floor(rand() * (text.length + 1));
        const selection = rand() < 0.5 && a !== b;
        const found = statementAt(text, selection ? { start: a, end: b } : a, dialect);
        if (!found) continue;
        checkStatement(text, found, problems, `statementAt(${a}, ${b})`);
        // A cursor (not a selection) always lands on one of split's statements.
        if (!selection && !statements.some((s) => s.start === found.start && s.end === found.end)) {
          problems.push(`statementAt(${a}) = ${found.start}-${found.end} is not a split statement`);
        }
      }
      checkRedaction(text, dialect, problems);
      report(problems, text, dialect, seed, i);
    }
  });

  it('small mutated statements: statementAt agrees with split at every offset', () => {
    const seed = 3;
    const rand = prng(seed);
    const small = [
      "SELECT 'a;b' FROM t; -- c\nSELECT $1, foo$bar;\n\n/* x /* y */ z */ SELECT 2",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN 1 THEN 2 END; END; SELECT 3;',
      'DO $do$ BEGIN RAISE NOTICE $q$;$q$; END $do$;\r\nSELECT E\'\\\';\';',
      'CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET c = CASE WHEN 1 THEN 2 END; END; SELECT [x;y], `z;`;',
    ];
    for (let i = 0; i < 600; i++) {
      const dialect: Dialect = i % 4 === 3 ? 'sqlite' : i % 2 === 0 ? 'postgres' : 'sqlite';
      const text = mutate(rand, small[i % small.length]!);
      const problems: string[] = [];
      const boundaries = checkTokens(text, dialect, problems);
      const statements = checkSplit(text, dialect, boundaries, problems);
      checkEveryOffset(text, dialect, statements, problems);
      report(problems, text, dialect, seed, i);
    }
  });
});
