// Splits a persona file into its front matter and body, strictly by lines, before any YAML is read.
//
// Doing the split here (rather than trusting gray-matter's) lets us name precise problems (no front matter, never
// closed) and refuse gray-matter's language suffixes such as `---js`, whose engine would evaluate the file as code.

import type { FrontMatterLine } from './lenientYaml';

export type SplitResult =
  | { ok: true; frontMatter: string; lines: FrontMatterLine[]; body: string }
  | { ok: false; message: string };

const delimiter = /^---[ \t]*$/;

/** Expects text without a BOM and with LF line endings. */
export function splitFrontMatter(text: string): SplitResult {
  const lines = text.split('\n');
  let open = 0;
  while (open < lines.length && lines[open]!.trim() === '') open++;
  const first = lines[open] ?? '';
  if (!delimiter.test(first)) {
    if (first.startsWith('---')) {
      return { ok: false, message: `line ${open + 1}: the front matter must open with a line of exactly "---", found ${JSON.stringify(first.trim())}` };
    }
    return {
      ok: false,
      message: 'no front matter: a persona file must start with a "---" line, then "name:" and "description:" lines, then a closing "---" line',
    };
  }
  let close = open + 1;
  while (close < lines.length && !delimiter.test(lines[close]!)) close++;
  if (close >= lines.length) {
    return { ok: false, message: `the front matter opened on line ${open + 1} is never closed: no "---" line follows it` };
  }
  const fmLines = lines.slice(open + 1, close).map((t, i) => ({ text: t, no: open + 2 + i }));
  // Blank lines between the closing delimiter and the first heading are layout, not part of the prompt.
  let bodyStart = close + 1;
  while (bodyStart < lines.length && lines[bodyStart]!.trim() === '' && bodyStart < lines.length - 1) bodyStart++;
  return {
    ok: true,
    frontMatter: fmLines.map((l) => l.text).join('\n'),
    lines: fmLines,
    body: lines.slice(bodyStart).join('\n'),
  };
}
