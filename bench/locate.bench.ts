// Locating the statement at the END of a ~10 MB SQL file: the worst case for the locator, which must scan
// everything before the cursor because a string, comment or dollar quote opened anywhere changes what follows.
import { split, statementAt } from '../src/core/sql/locate';
import { tokenize } from '../src/core/sql/lexer';
import { report, round, time } from './harness';

/** A small deterministic PRNG so every run measures the same text. */
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

/** A realistic mix: DDL, DML with strings, comments, dollar-quoted function bodies, DO blocks, non-ASCII data. */
function generate(targetChars: number): string {
  const rand = prng(20261122);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const names = ['orders', 'customers', 'line_items', 'events', 'inventory', 'payments', 'sessions'];
  const words = ["O'Brien", 'Zürich', '東京都', 'naïve café', 'emoji 🚀 launch', 'semi;colon', 'dash -- not a comment'];
  const parts: string[] = [];
  let size = 0;
  let n = 0;
  while (size < targetChars) {
    n++;
    const t = pick(names);
    let stmt: string;
    switch (Math.floor(rand() * 7)) {
      case 0:
        stmt = `-- migration step ${n}\nCREATE TABLE IF NOT EXISTS ${t}_${n} (\n  id bigserial PRIMARY KEY,\n  name text NOT NULL DEFAULT '',\n  created_at timestamptz NOT NULL DEFAULT now()\n);\n`;
        break;
      case 1:
        stmt = `INSERT INTO ${t} (id, label, note) VALUES (${n}, '${pick(words).replace(/'/g, "''")}', E'line\\nbreak \\'quoted\\''), (${n + 1}, 'x', NULL);\n`;
        break;
      case 2:
        stmt = `/* report ${n} /* nested */ still comment; */\nSELECT o.id, sum(li.qty * li.price) AS total\nFROM ${t} o JOIN line_items li ON li.order_id = o.id\nWHERE o.created_at > now() - interval '7 days' AND o.status = $1\nGROUP BY o.id\nORDER BY total DESC\nLIMIT 50;\n\n`;
        break;
      case 3:
        stmt = `CREATE OR REPLACE FUNCTION ${t}_touch_${n}() RETURNS trigger LANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.updated_at := now(); -- keep it fresh; always\n  IF NEW.note IS NULL THEN NEW.note := 'n/a'; END IF;\n  RETURN NEW;\nEND;\n$fn$;\n`;
        break;
      case 4:
        stmt = `DO $$\nDECLARE r record;\nBEGIN\n  FOR r IN SELECT * FROM ${t} LOOP\n    RAISE NOTICE 'row %; done', r.id;\n  END LOOP;\nEND\n$$;\n`;
        break;
      case 5:
        stmt = `UPDATE ${t} SET "weird;name" = 'v${n}', price$usd = price * 1.2e3 WHERE id = ${n}; -- trailing note\n`;
        break;
      default:
        stmt = `CREATE FUNCTION add_${n}(a int, b int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n  SELECT CASE WHEN a > b THEN a ELSE b END;\n  SELECT a + b;\nEND;\n`;
        break;
    }
    parts.push(stmt);
    size += stmt.length;
  }
  parts.push('SELECT count(*) FROM orders WHERE note LIKE \'%final%\';\n');
  return parts.join('');
}

const text = generate(10 * 1024 * 1024);
const megabytes = text.length / (1024 * 1024);
const statements = split(text, 'postgres').length;

// The cursor sits right after the final `;` (the text ends with a newline, and a cursor on that empty last line
// is, correctly, on no statement).
const cursor = text.length - 1;
const located = statementAt(text, cursor, 'postgres');
if (!located || !located.text.startsWith('SELECT count(*) FROM orders')) {
  throw new Error(`locate at end found ${JSON.stringify(located?.text.slice(0, 60))}`);
}

const locateEnd = time(() => void statementAt(text, cursor, 'postgres'), { warmup: 3, runs: 15 });
// CPU time as well as wall time: on a shared machine the wall clock also counts time spent waiting for a core.
const cpuSamples: number[] = [];
for (let i = 0; i < 15; i++) {
  const before = process.cpuUsage();
  statementAt(text, cursor, 'postgres');
  const used = process.cpuUsage(before);
  cpuSamples.push((used.user + used.system) / 1000);
}
cpuSamples.sort((a, b) => a - b);
const locateEndCpuMs = round(cpuSamples[Math.floor(cpuSamples.length / 2)]!);

// The floor on this machine right now: the cheapest possible full pass (count `;` with charCodeAt). On a shared
// machine absolute times move with the load; the ratio to this floor does not move much.
let floorSink = 0;
const floor = time(
  () => {
    let n = 0;
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 59) n++;
    floorSink += n;
  },
  { warmup: 3, runs: 15 },
);

const splitAll = time(() => void split(text, 'postgres'), { warmup: 2, runs: 7 });
const tokenizeAll = time(() => void tokenize(text, 'postgres'), { warmup: 1, runs: 5 });

console.log(`text: ${round(megabytes)} MB (UTF-16 code units / 2^20), ${statements} statements`);
console.log(`statementAt(end): median ${locateEnd.medianMs} ms, ${round(megabytes / (locateEnd.medianMs / 1000), 1)} MB/s`);
console.log(`statementAt(end): median CPU time ${locateEndCpuMs} ms`);
console.log(`floor (count ; with charCodeAt): median ${floor.medianMs} ms (${floorSink > 0 ? 'ok' : 'no ;'})`);
console.log(`split(all):       median ${splitAll.medianMs} ms`);
console.log(`tokenize(all):    median ${tokenizeAll.medianMs} ms`);

report({
  megabytes: round(megabytes),
  statements,
  locateEndMedianMs: locateEnd.medianMs,
  locateEndP95Ms: locateEnd.p95Ms,
  locateEndMinMs: locateEnd.minMs,
  locateEndCpuMs,
  floorScanMedianMs: floor.medianMs,
  locateToFloorRatio: round(locateEnd.medianMs / floor.medianMs, 1),
  locateEndMBps: round(megabytes / (locateEnd.medianMs / 1000), 1),
  splitMedianMs: splitAll.medianMs,
  tokenizeMedianMs: tokenizeAll.medianMs,
});
