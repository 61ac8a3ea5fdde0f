// The corpus's own figures, read with the simplest counting that can be checked by eye, and shares no code with
// the parser under test: a text plan has one node per `->` line plus its root, a JSON plan one per "Node Type" key,
// an XML plan one per <Node-Type>, a YAML plan one per `Node Type:`, and a SQLite plan one per tree line or row (a
// row is a line whose first three cells are whole numbers, whatever separates them: `|`, `,`, a tab, spaces, or a
// table's frame; or, in the shell's line mode and JSON mode, one per `detail`).
// Frames, quotes and prompts around a plan do not change these counts, so the counter ignores them.

export type CorpusFormat = 'text' | 'json' | 'xml' | 'yaml' | 'sqlite';

export interface Figures {
  nodes: number;
  planningMs?: number;
  executionMs?: number;
}

/** Guesses the format from what the text contains; used only when the corpus is collected. */
export function detectFormat(text: string): CorpusFormat {
  if (text.includes('<Node-Type>')) return 'xml';
  if (/Node Type"+\s*:/.test(text)) return 'json';
  if (/^[\s│║|-]*Node Type: /m.test(text)) return 'yaml';
  if (/(?:^|\s)(?:\|--|`--)\S/m.test(text) || /^\d+\|\d+\|\d+\|/m.test(text)) return 'sqlite';
  return 'text';
}

/** Removes what a terminal, psql frame or GUI export puts before a line's text: spaces, frame bars, quotes. */
function content(line: string): string {
  let i = 0;
  while (i < line.length && ' \t|║│\'"'.includes(line[i]!)) i++;
  return line.slice(i);
}

const nodeMarker = /\((?:cost=|actual |never executed\))/;

function countText(lines: string[]): number {
  let arrows = 0;
  let rooted = 0;
  let markedArrows = 0;
  let anyPlanLine = false;
  for (const line of lines) {
    const c = content(line);
    if (c.startsWith('->')) {
      arrows++;
      if (nodeMarker.test(c)) markedArrows++;
    } else if (nodeMarker.test(c) && !/^Worker \d/.test(c)) rooted++;
    if (c.trim()) anyPlanLine = true;
  }
  if (rooted > 0) return arrows + rooted;
  // Costs on arrow lines only: a fragment whose root is itself an arrow line. No costs at all (COSTS OFF): the
  // root line carries no marker; there is one, and one more after each empty row of the result (psql prints it as
  // a lone space, or with border 0 as an empty line) that separates the plans of a statement rewritten into several:
  // the next plan's root starts with a capital letter (a prompt after the result does not).
  if (markedArrows > 0 || !anyPlanLine) return arrows;
  let roots = 1;
  for (let i = 0; i + 1 < lines.length; i++) {
    const next = content(lines[i + 1]!);
    if (/^[ \t|║│]*$/.test(lines[i]!) && /^[A-Z]/.test(next) && !/^(?:Planning|Execution|QUERY PLAN)/.test(next)) roots++;
  }
  return arrows + roots;
}

function count(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}

/** The sum of every figure the pattern finds (a result with several plans prints one per plan), to the microsecond. */
function total(text: string, re: RegExp): number | undefined {
  let sum: number | undefined;
  for (const m of text.matchAll(re)) sum = (sum ?? 0) + Number(m[1]);
  return sum === undefined ? undefined : Math.round(sum * 1000) / 1000;
}

/** The plan's own figures: node count, and planning and execution times where the plan prints them. */
export function expectedFigures(text: string, format: CorpusFormat): Figures {
  let nodes: number;
  if (format === 'text') nodes = countText(text.split('\n'));
  else if (format === 'json') nodes = count(text, /Node Type"+\s*:/g);
  else if (format === 'xml') nodes = count(text, /<Node-Type>/g);
  else if (format === 'yaml') nodes = count(text, /Node Type:/g);
  else nodes = count(text, /(?:\|--|`--)[^-]|^[ \t|│]*\d+[ \t|│,]+\d+[ \t|│,]+\d+[ \t|│,]+\S|^ *detail = |"detail":/gm);
  const figures: Figures = { nodes };
  const planning = total(text, /Planning[ -][Tt]ime"*(?::|>)\s*([\d.]+)/g);
  const execution = total(text, /(?:Execution[ -][Tt]ime|Total runtime)"*(?::|>)\s*([\d.]+)/g);
  if (planning !== undefined) figures.planningMs = planning;
  if (execution !== undefined) figures.executionMs = execution;
  return figures;
}
