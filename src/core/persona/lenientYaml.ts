// A forgiving reader for the front matter of Claude Code agent files, used only when strict YAML rejects them.
//
// Real agent files break YAML in predictable ways: plain scalars that contain `: `, descriptions that run over
// several unindented lines (blank lines, `<example>` lines) until the next `key:` line, and `\n` written literally.
// The rule here is line based: a line at column 0 that looks like `key:` followed by a space or the end of the line
// starts a key; every other line continues the value above it. Values are then read with the YAML rules that still
// make sense (quoted scalars with escapes, flow lists and maps, block lists, nested maps, block scalars, folding).

import { fold, readFlow, readQuoted, resolvePlain } from './yamlScalars';

export interface FrontMatterLine {
  text: string;
  /** 1-based line number in the file, for error messages. */
  no: number;
}

export type LenientResult = { ok: true; data: Record<string, unknown> } | { ok: false; line: number; message: string };

type ValueResult = { ok: true; value: unknown } | { ok: false; line: number; message: string };

const keyLine = /^([A-Za-z_][\w-]*):(?:[ \t]+(.*))?$/;

function isBlank(text: string): boolean {
  return text.trim() === '';
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
}

function fail(line: number, message: string): { ok: false; line: number; message: string } {
  return { ok: false, line, message };
}

function show(text: string): string {
  const t = text.trim();
  return JSON.stringify(t.length > 60 ? `${t.slice(0, 57)}...` : t);
}

/** Reads `key: value` lines at column 0. Never throws. */
export function parseLenientFrontMatter(lines: readonly FrontMatterLine[]): LenientResult {
  try {
    return parseMapping(lines);
  } catch (err) {
    // The reader is written not to throw; this guard keeps a future bug from crashing a whole persona load.
    return fail(lines[0]?.no ?? 1, `internal error while reading the front matter: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function parseMapping(lines: readonly FrontMatterLine[]): LenientResult {
  const entries: Array<[string, unknown]> = [];
  const seen = new Map<string, number>();
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line.text) || line.text.startsWith('#')) {
      i++;
      continue;
    }
    const m = keyLine.exec(line.text);
    if (!m) return fail(line.no, `expected "key: value", found ${show(line.text)}`);
    const key = m[1]!;
    const inline = (m[2] ?? '').trim();
    let j = i + 1;
    while (j < lines.length && !keyLine.test(lines[j]!.text)) j++;
    const first = seen.get(key);
    if (first !== undefined) return fail(line.no, `key "${key}" appears twice (first on line ${first})`);
    seen.set(key, line.no);
    // Column-0 comment lines are YAML comments even inside a value; they are dropped, not folded into the text.
    const rest = lines.slice(i + 1, j).filter((l) => !l.text.startsWith('#'));
    const value = parseValue(inline, rest, line.no, key);
    if (!value.ok) return value;
    // Object.fromEntries below defines own properties, so a key such as `__proto__` cannot touch the prototype.
    entries.push([key, value.value]);
    i = j;
  }
  return { ok: true, data: Object.fromEntries(entries) };
}

/** Reads the value of `key` from the rest of its line and the lines that continue it. */
function parseValue(inline: string, rest: readonly FrontMatterLine[], lineNo: number, key: string): ValueResult {
  if (inline === '' || inline.startsWith('#')) return parseBlockValue(rest, lineNo, key);
  const c = inline[0];
  if (c === '"' || c === "'" || c === '[' || c === '{') {
    const joined = [inline, ...rest.map((l) => l.text)].join('\n');
    const read = c === '"' || c === "'" ? readQuoted(joined, 0) : readFlow(joined, 0);
    if (!read.ok) return fail(lineNo + read.lineOffset, `${read.message} in the value of "${key}"`);
    const after = joined.slice(read.end);
    const junk = after.split('\n').findIndex((t) => !isBlank(t) && !t.trimStart().startsWith('#'));
    if (junk !== -1) {
      const offset = joined.slice(0, read.end).split('\n').length - 1 + junk;
      return fail(lineNo + offset, `unexpected text after the value of "${key}": ${show(after.split('\n')[junk]!)}`);
    }
    return { ok: true, value: read.value };
  }
  if (c === '|' || c === '>') {
    const header = /^([|>])([+-]?)([1-9]?)\s*(?:#.*)?$/.exec(inline);
    if (header) return { ok: true, value: readBlockScalar(header[1] === '|', header[2] ?? '', rest) };
  }
  return { ok: true, value: resolvePlain(fold([inline, ...rest.map((l) => l.text.trim())])) };
}

/** A key with nothing after the colon: a nested map, a block list, or a plain scalar on the following lines. */
function parseBlockValue(rest: readonly FrontMatterLine[], lineNo: number, key: string): ValueResult {
  const firstIndex = rest.findIndex((l) => !isBlank(l.text));
  if (firstIndex === -1) return { ok: true, value: null };
  const first = rest[firstIndex]!;
  const indent = indentOf(first.text);
  const dedented: FrontMatterLine[] = [];
  for (const l of rest) {
    if (isBlank(l.text)) dedented.push({ text: '', no: l.no });
    else if (indentOf(l.text) < indent) {
      return fail(l.no, `this line is indented less than the first line of "${key}" (line ${first.no}, ${indent} spaces)`);
    } else dedented.push({ text: l.text.slice(indent), no: l.no });
  }
  const head = dedented[firstIndex]!.text;
  if (/^-(\s|$)/.test(head)) return parseBlockList(dedented, key);
  if (indent > 0 && keyLine.test(head)) {
    const nested = parseMapping(dedented);
    return nested.ok ? { ok: true, value: nested.data } : nested;
  }
  if (indent > 0 && /^"|^'|^\[|^\{/.test(head)) {
    return parseValue(head.trim(), dedented.slice(firstIndex + 1), first.no, key);
  }
  return { ok: true, value: resolvePlain(fold(rest.map((l) => l.text.trim()))) };
}

function parseBlockList(lines: readonly FrontMatterLine[], key: string): ValueResult {
  const items: unknown[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line.text) || line.text.startsWith('#')) {
      i++;
      continue;
    }
    const m = /^-(?:[ \t]+(.*))?$/.exec(line.text);
    if (!m) return fail(line.no, `expected a list item "- ..." in "${key}", found ${show(line.text)}`);
    let j = i + 1;
    while (j < lines.length && (isBlank(lines[j]!.text) || indentOf(lines[j]!.text) > 0)) j++;
    const inline = (m[1] ?? '').trim();
    const cont = lines.slice(i + 1, j);
    let item: ValueResult;
    if (keyLine.test(inline)) {
      // `- name: x` followed by `  other: y` is a list of maps; re-read the item as a mapping at its own column.
      const column = line.text.length - (m[1] ?? '').length;
      const itemLines = [{ text: inline, no: line.no }, ...cont.map((l) => ({ text: l.text.slice(Math.min(column, indentOf(l.text))), no: l.no }))];
      const nested = parseMapping(itemLines);
      item = nested.ok ? { ok: true, value: nested.data } : nested;
    } else {
      item = parseValue(inline, cont, line.no, key);
    }
    if (!item.ok) return item;
    items.push(item.value);
    i = j;
  }
  return { ok: true, value: items };
}

function readBlockScalar(literal: boolean, chomp: string, rest: readonly FrontMatterLine[]): string {
  const nonBlank = rest.filter((l) => !isBlank(l.text));
  const indent = nonBlank.length ? Math.min(...nonBlank.map((l) => indentOf(l.text))) : 0;
  const lines = rest.map((l) => (isBlank(l.text) ? '' : l.text.slice(indent)));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  let text: string;
  if (literal) text = lines.join('\n');
  else {
    // Folded scalars join neighbouring lines with a space, turn blank lines into newlines, and keep the line breaks
    // around more-indented lines as they are.
    text = '';
    let blanks = 0;
    let previous: 'none' | 'normal' | 'indented' = 'none';
    for (const line of lines) {
      if (line === '') {
        blanks++;
        continue;
      }
      const indented = /^\s/.test(line);
      if (previous === 'none') text += '\n'.repeat(blanks);
      else if (previous === 'normal' && !indented) text += blanks ? '\n'.repeat(blanks) : ' ';
      else text += '\n'.repeat(blanks + 1);
      text += line;
      previous = indented ? 'indented' : 'normal';
      blanks = 0;
    }
  }
  if (chomp === '-') return text;
  if (chomp === '+') return text + '\n'.repeat(Math.max(1, rest.length - lines.length));
  return text === '' ? '' : `${text}\n`;
}
