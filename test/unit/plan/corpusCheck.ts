// Reads one corpus plan with a given parser and says how it went, in the terms issue 18 counts: refused, misread
// (wrong node count), lost times, or a number in the model that is negative, NaN or Infinity. Shared by the corpus
// test and scripts/measurePlanCorpus.ts, which also runs it against older parsers for before/after figures.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusFormat } from './corpusCount';

export const corpusDir = join(__dirname, '../../fixtures/plans/corpus');
const repoRoot = join(__dirname, '../../..');

/**
 * Where the external plans are (entries marked `external`: collected from fetched repositories, or copied by hand from
 * another project's files). They are other projects' text, which this repository does not commit: the first of
 * `$DATAENG_PLAN_CORPUS`, the steering repo's `shared/plan-corpus` beside the clone (where CI finds shared data), or the
 * untracked `corpus/external/` that scripts/collectPlanCorpus.ts writes. Only our own live captures are committed.
 */
export function externalCorpusDir(): string | undefined {
  const candidates = [process.env['DATAENG_PLAN_CORPUS'], join(repoRoot, '../shared/plan-corpus'), join(corpusDir, 'external')];
  return candidates.find((d): d is string => d !== undefined && d !== '' && existsSync(join(d, 'pev2')));
}

/** The path of an entry's plan file, or undefined when it is an external plan that is not on this machine. */
export function planPath(entry: ManifestEntry): string | undefined {
  if (entry.external !== true) return join(corpusDir, entry.file);
  const dir = externalCorpusDir();
  const path = dir === undefined ? undefined : join(dir, entry.file);
  return path !== undefined && existsSync(path) ? path : undefined;
}

export interface ManifestEntry {
  file: string;
  repository: string;
  path: string;
  commit: string;
  line?: number;
  format: CorpusFormat;
  collected: 'script' | 'by hand' | 'live';
  /** Another project's text, not committed: read from externalCorpusDir(). Every entry but our live captures. */
  external?: true;
  /** How a live capture was produced (see scripts/capturePlanCorpus.ts). */
  capture?: Capture;
  note?: string;
  expected: { nodes: number; planningMs?: number; executionMs?: number; wrapped?: boolean };
}

/** A live capture's recipe: the statement, the EXPLAIN options, the settings before it, and how it was displayed. */
export interface Capture {
  tool: string;
  /** The statement under EXPLAIN (PostgreSQL) or EXPLAIN QUERY PLAN (SQLite). */
  query: string;
  /** PostgreSQL's EXPLAIN options, as written inside the parentheses. */
  options?: string;
  /** SET statements (and BEGIN … ROLLBACK for statements that write) run around it in the same session. */
  settings?: string[];
  /** The client's display: psql's \pset settings, flags, a tmux pane's width, the sqlite3 shell's mode. */
  presentation: string;
}

export function readManifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(join(corpusDir, 'manifest.json'), 'utf8')) as ManifestEntry[];
}

export function readPlanFile(entry: ManifestEntry): string {
  const path = planPath(entry);
  if (path === undefined) throw new Error(`${entry.file} is an external corpus plan that is not on this machine (see externalCorpusDir)`);
  return readFileSync(path, 'utf8');
}

/** The parts of a parsed plan this check reads; any parser version returns at least these. */
export interface ParsedPlan {
  nodeCount: number;
  planningMs?: number;
  executionMs?: number;
  root: unknown;
}

export type Outcome =
  | { kind: 'ok'; plan: ParsedPlan }
  | { kind: 'refused-wrapped'; message: string }
  | { kind: 'refused'; message: string }
  | { kind: 'misread'; message: string }
  | { kind: 'lost-times'; message: string }
  | { kind: 'bad-number'; message: string };

/** Every number anywhere in the value (nodes, buffers, triggers, JIT…), found without recursion. */
export function badNumbers(value: unknown): string[] {
  const bad: string[] = [];
  const stack: { v: unknown; at: string }[] = [{ v: value, at: 'plan' }];
  while (stack.length) {
    const { v, at } = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || v < 0) bad.push(`${at} = ${v}`);
    } else if (Array.isArray(v)) v.forEach((x, i) => stack.push({ v: x, at: `${at}[${i}]` }));
    else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) stack.push({ v: x, at: `${at}.${k}` });
  }
  return bad;
}

export function checkEntry(entry: ManifestEntry, parse: (text: string) => ParsedPlan): Outcome {
  const text = readPlanFile(entry);
  let plan: ParsedPlan;
  try {
    plan = parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (entry.expected.wrapped && /wrapped/i.test(message)) return { kind: 'refused-wrapped', message };
    return { kind: 'refused', message };
  }
  const e = entry.expected;
  if (plan.nodeCount !== e.nodes) return { kind: 'misread', message: `${plan.nodeCount} nodes read, the plan has ${e.nodes}` };
  if (e.planningMs !== undefined && plan.planningMs !== e.planningMs) {
    return { kind: 'lost-times', message: `planningMs ${plan.planningMs}, the plan says ${e.planningMs}` };
  }
  if (e.executionMs !== undefined && plan.executionMs !== e.executionMs) {
    return { kind: 'lost-times', message: `executionMs ${plan.executionMs}, the plan says ${e.executionMs}` };
  }
  const bad = badNumbers(plan);
  if (bad.length) return { kind: 'bad-number', message: bad.slice(0, 3).join('; ') };
  return { kind: 'ok', plan };
}
