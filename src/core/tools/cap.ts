// The cap on a tool result: a model reads about 8 KB of one result at most. Beyond that the head is kept (cut at a line
// end where one is near) and a last line says what was cut, so the model knows the result is partial and how to get
// the rest. Pure.

/** About 8 KB: the issue's cap for one tool result. Counted in UTF-16 code units, close to bytes for plan/SQL text. */
export const TOOL_RESULT_CAP = 8_000;

export interface CapOptions {
  /** Default TOOL_RESULT_CAP. */
  cap?: number;
  /** What the model can do to see the rest ("read the file with offset 240"). */
  hint?: string;
}

/** `text` unchanged when it fits; otherwise its head and one line saying how much was cut (the whole stays within `cap`). */
export function capToolText(text: string, options: CapOptions = {}): string {
  const cap = options.cap ?? TOOL_RESULT_CAP;
  if (text.length <= cap) return text;
  const totalLines = countLines(text);
  // Reserve room for the note; its numbers have at most as many digits as the whole text's length.
  const noteRoom = 160 + (options.hint?.length ?? 0);
  let end = Math.max(0, cap - noteRoom);
  const lineEnd = text.lastIndexOf('\n', end);
  if (lineEnd > end * 0.75) end = lineEnd;
  // Never split a surrogate pair.
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  const head = text.slice(0, end).replace(/\s+$/, '');
  const keptLines = countLines(head);
  const cut = text.length - head.length;
  const note = `[… cut: ${cut.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} characters (lines ${keptLines + 1}–${totalLines} of ${totalLines}) were left out to keep this result under ${cap.toLocaleString('en-US')} characters.${options.hint ? ` ${options.hint}` : ''}]`;
  return `${head}\n${note}`.slice(0, cap);
}

function countLines(text: string): number {
  if (!text) return 0;
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
