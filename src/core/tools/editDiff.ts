// The diff of a proposed edit (old_text → new_text), line by line: one view for the chat, the participant and the
// CLI. Pure.

export interface DiffLine {
  kind: 'same' | 'removed' | 'added';
  text: string;
}

/** Above this many line pairs the longest common subsequence is not computed: the whole old text goes, the new comes. */
const maxCells = 4_000_000;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  if (a.length * b.length > maxCells) {
    return [...a.map((text): DiffLine => ({ kind: 'removed', text })), ...b.map((text): DiffLine => ({ kind: 'added', text }))];
  }
  // lcs[i][j]: the longest common subsequence of a[i..] and b[j..], filled from the end (iteratively).
  const width = b.length + 1;
  const lcs = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push({ kind: 'same', text: a[i]! });
      i++;
      j++;
    } else if (i < a.length && (j >= b.length || lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!)) {
      // Removals before additions, as diff tools show a replaced line.
      out.push({ kind: 'removed', text: a[i]! });
      i++;
    } else {
      out.push({ kind: 'added', text: b[j]! });
      j++;
    }
  }
  return out;
}

/** A unified-style diff for terminals and Markdown fences: `--- path`, `+++ path (proposed)`, then ` `/`-`/`+` lines. */
export function formatEditDiff(path: string, oldText: string, newText: string): string {
  const sign = { same: ' ', removed: '-', added: '+' } as const;
  const body = diffLines(oldText, newText).map((l) => `${sign[l.kind]}${l.text}`);
  return [`--- ${path}`, `+++ ${path} (proposed)`, ...body].join('\n') + '\n';
}
