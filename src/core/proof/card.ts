// The proof card: what the chat shows under a SQL block after Verify rewrite or Try index, as a view model the host
// builds and the webview renders (media/proofCard.ts) — cost and time before → after, rows equal ✓ or different ✗,
// and what the model is told about it next turn. Pure; shared by the host and the webview bundle.
import type { Dialect } from '../sql/dialect';
import type { Cell, CompareOutcome } from './compare';
import { significantTokens } from './tokens';
import { formatCost, formatMs, formatPct, type Measure, type WhatIfMethod } from './whatIf';

export type ProofKind = 'rewrite' | 'index';
export type ProofState = 'running' | 'done' | 'declined' | 'failed';

export interface ProofCard {
  /** Unique per card; names its plans for Show diff. */
  id: string;
  kind: ProofKind;
  state: ProofState;
  /** One line: "Rewrite verified ✓", "Rewrite returns different rows ✗", "Index used: cost −94%". */
  title: string;
  /** good ✓, bad ✗, or neither (running, declined, not measurable). */
  tone: 'good' | 'bad' | 'neutral';
  /** "cost 1,453 → 83.3 (−94.3%)". */
  cost?: string;
  /** "24 ms → 0.14 ms". */
  time?: string;
  /** "rows equal ✓ (12,345)", "rows different ✗: 3 only in the original, 1 only in the rewrite". */
  rows?: string;
  /** How it was measured: "HypoPG (estimated costs)", "a rolled-back index", "an in-memory copy". */
  method?: string;
  /** The verdict's reason, warnings, and the scope of an equal verdict. */
  notes: string[];
  /** Rows from each side's difference; shown here only, never sent to the model unless the user sends them. */
  samples?: { onlyInOriginal: Cell[][]; onlyInRewrite: Cell[][] };
  /** Both plans are kept by the host: Show diff opens them. */
  canShowDiff: boolean;
}

/** What a code block in an answer can be proved as: a rewrite of the statement (a read), or an index to try. */
export type ProofAction = 'verifyRewrite' | 'tryIndex';

/** The action for a code block, from its first words; null for anything else (or more than one statement). */
export function proofActionFor(code: string, dialect: Dialect = 'postgres'): ProofAction | null {
  const { toks, unterminated } = significantTokens(code, dialect);
  if (unterminated || !toks.length) return null;
  const semis = toks.filter((t) => t.kind === 'semicolon');
  if (semis.length > 1 || (semis.length === 1 && toks[toks.length - 1]!.kind !== 'semicolon')) return null;
  const w = (i: number): string | null => (toks[i]?.kind === 'word' ? toks[i].lower : null);
  if (w(0) === 'create' && (w(1) === 'index' || (w(1) === 'unique' && w(2) === 'index'))) return 'tryIndex';
  if (['select', 'with', 'values', 'table'].includes(w(0) ?? '') || toks[0]!.text === '(') return 'verifyRewrite';
  return null;
}

/** The SQL code blocks of a Markdown answer (fenced with ``` or ~~~, language sql or none), in order. */
export function sqlCodeBlocks(markdown: string): string[] {
  const out: string[] = [];
  const lines = markdown.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([A-Za-z0-9_+-]*)[^`]*$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const lang = open[2]!.toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
      if (close.test(lines[j]!)) break;
      body.push(lines[j]!);
    }
    if (['', 'sql', 'pgsql', 'postgres', 'postgresql', 'sqlite', 'psql', 'plpgsql'].includes(lang)) out.push(body.join('\n'));
    i = j;
  }
  return out;
}

const methodName: Record<WhatIfMethod, string> = {
  hypopg: 'HypoPG (estimated costs; nothing was built)',
  'rolled-back-index': 'a real index, built and rolled back',
  'in-memory-copy': 'an in-memory copy of the SQLite database',
};

function costLine(before: Measure, after: Measure, savedPct: number | null): string | undefined {
  if (before.cost === null || after.cost === null) return undefined;
  return `cost ${formatCost(before.cost)} → ${formatCost(after.cost)}${savedPct !== null ? ` (${formatPct(savedPct)})` : ''}`;
}

function timeLine(before: Measure, after: Measure): string | undefined {
  return before.timeMs !== undefined && after.timeMs !== undefined ? `${formatMs(before.timeMs)} → ${formatMs(after.timeMs)}` : undefined;
}

export function runningCard(id: string, kind: ProofKind): ProofCard {
  return { id, kind, state: 'running', title: kind === 'rewrite' ? 'Verifying the rewrite…' : 'Trying the index…', tone: 'neutral', notes: [], canShowDiff: false };
}

export function stoppedCard(id: string, kind: ProofKind, state: 'declined' | 'failed', message: string): ProofCard {
  const what = kind === 'rewrite' ? 'Rewrite' : 'Index';
  return { id, kind, state, title: state === 'declined' ? `${what} not tested` : `${what} could not be tested`, tone: 'neutral', notes: [message], canShowDiff: false };
}

/** The measures of a plan comparison (the statement and its rewrite, each explained). */
export interface PlanMeasures {
  analyzed: boolean;
  /** Which engine measured them; the method line says what was done there (PostgreSQL when absent). */
  dialect?: Dialect;
  /** Both explains ran inside a transaction that was rolled back. */
  rolledBack?: boolean;
  before: Measure;
  after: Measure;
  savedPct: number | null;
  timeSavedPct: number | null;
}

/** How the plans were measured, as it was done on each engine: no engine is credited with another's method. */
export function planMethod(plans: Pick<PlanMeasures, 'analyzed' | 'dialect' | 'rolledBack'>): string {
  const dialect = plans.dialect ?? 'postgres';
  const rolledBack = plans.rolledBack ?? dialect === 'postgres';
  switch (dialect) {
    case 'mysql':
      return plans.analyzed
        ? `both executed with ANALYZE (MariaDB) or EXPLAIN ANALYZE (MySQL)${rolledBack ? ', each in a transaction that was rolled back' : ''}`
        : 'EXPLAIN FORMAT=JSON of both (the optimizer\'s estimated costs; nothing ran)';
    case 'duckdb':
      return plans.analyzed
        ? 'EXPLAIN ANALYZE of both (DuckDB\'s profiler; only reads can run there, so there was nothing to roll back)'
        : 'EXPLAIN of both (DuckDB\'s estimated plan; nothing ran)';
    case 'sqlite':
      return plans.analyzed ? `both executed and timed${rolledBack ? ', rolled back' : ''}` : 'EXPLAIN QUERY PLAN of both (no costs; nothing ran)';
    default:
      return plans.analyzed ? `EXPLAIN ANALYZE of both${rolledBack ? ', rolled back' : ''}` : 'EXPLAIN of both (estimated costs)';
  }
}

/**
 * The card for Verify rewrite: the rows (the comparison's verdict) and the plans' cost and time. `compare` is a
 * string when the comparison was not run (its reason: refused, or not allowed).
 */
export function rewriteCard(id: string, compare: CompareOutcome | string, plans: PlanMeasures | null): ProofCard {
  const notes: string[] = [];
  let rows: string | undefined;
  let tone: ProofCard['tone'] = 'neutral';
  let title: string;
  if (typeof compare === 'string') {
    title = 'Rewrite: results not compared';
    notes.push(compare);
  } else {
    const n = (x: number | null): string => (x ?? 0).toLocaleString('en-US');
    switch (compare.verdict) {
      case 'equal':
        rows = `rows equal ✓ (${n(compare.rows.original)})`;
        tone = 'good';
        title = 'Rewrite returns the same rows ✓';
        break;
      case 'different':
        rows = compare.onlyInOriginal !== null ? `rows different ✗: ${n(compare.onlyInOriginal)} only in the original, ${n(compare.onlyInRewrite)} only in the rewrite` : 'rows different ✗';
        tone = 'bad';
        title = 'Rewrite returns different rows ✗';
        break;
      case 'nondeterministic':
        rows = 'rows differ only where the original is not deterministic';
        title = 'Rewrite: results depend on ties or an unordered LIMIT';
        break;
      default:
        title = 'Rewrite: results cannot be compared';
    }
    notes.push(compare.reason, ...compare.warnings);
  }
  const card: ProofCard = { id, kind: 'rewrite', state: 'done', title, tone, notes, canShowDiff: plans !== null };
  if (rows) card.rows = rows;
  if (typeof compare !== 'string' && (compare.samples.onlyInOriginal.length || compare.samples.onlyInRewrite.length)) card.samples = compare.samples;
  if (plans) {
    const cost = costLine(plans.before, plans.after, plans.savedPct);
    const time = timeLine(plans.before, plans.after);
    if (cost) card.cost = cost;
    if (time) card.time = time;
    card.method = planMethod(plans);
    if (tone === 'good' && plans.savedPct !== null && plans.savedPct < 0) notes.push('The rewrite is estimated to cost more than the original.');
  }
  return card;
}

/** The result of a what-if as the card needs it (app/proof.ts WhatIfIndexResult has this shape). */
export interface IndexMeasures {
  method: WhatIfMethod;
  before: Measure;
  after: Measure;
  savedPct: number | null;
  timeSavedPct: number | null;
  usedIndexes: string[];
  warnings: string[];
}

export function indexCard(id: string, r: IndexMeasures): ProofCard {
  const used = r.usedIndexes.length > 0;
  const saved = r.savedPct ?? r.timeSavedPct;
  const title = !used ? 'Index not used by the planner ✗' : saved !== null ? `Index used: ${r.savedPct !== null ? 'cost' : 'time'} ${formatPct(saved)} ${saved > 0 ? '✓' : ''}`.trim() : 'Index used ✓';
  const card: ProofCard = {
    id,
    kind: 'index',
    state: 'done',
    title,
    tone: used && (saved === null || saved > 0) ? 'good' : 'bad',
    method: methodName[r.method],
    // The cost and time lines say what the summary says; the notes keep what qualifies them.
    notes: [...(used ? [] : ['The planner did not use the index for this statement.']), ...r.warnings],
    canShowDiff: true,
  };
  const cost = costLine(r.before, r.after, r.savedPct);
  const time = timeLine(r.before, r.after);
  if (cost) card.cost = cost;
  if (time) card.time = time;
  return card;
}

/** The first line of a turn's `<proof>` section; the items follow, one per proved block. */
export const proofEvidenceHeader = 'The extension verified SQL from the answer to this question, on the user\'s database (equal means equal on this data):';

/** Adds one item to a turn's proof evidence. */
export function appendProofEvidence(existing: string | undefined, item: string): string {
  return `${existing?.trim() ? existing : proofEvidenceHeader}\n${item}`;
}

/**
 * What the model is told in its next turn about one proof (the `<proof>` section): the verdict and the numbers, never
 * sample rows. `code` is the block as the model wrote it (redacted by the caller when literals must not leave).
 */
export function proofEvidence(code: string, card: ProofCard): string {
  const what = card.kind === 'rewrite' ? 'Rewrite' : 'Index';
  const facts = [card.rows, card.cost, card.time, card.method ? `measured with ${card.method}` : undefined].filter(Boolean).join('; ');
  // The verdict's reason (counts only) or the what-if's one-line summary; warnings may quote SQL and stay out.
  const notes = card.notes.slice(0, card.state !== 'done' ? 1 : card.kind === 'rewrite' ? 2 : 0);
  const lines = [`${what}: ${card.title.replace(/ [✓✗]$/, '')}${facts ? ` — ${facts}` : ''}.`, ...notes.map((n) => `  ${n}`)];
  return `${lines.join('\n')}\n  SQL: ${code.trim().replace(/\s+/g, ' ').slice(0, 400)}`;
}
