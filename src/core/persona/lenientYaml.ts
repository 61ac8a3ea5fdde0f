// A forgiving reader for the front matter of Claude Code agent files, used only when strict YAML rejects them.
//
// Real agent files break YAML in predictable ways: plain scalars that contain `: `, descriptions that run over
// several unindented lines (blank lines, `<example>` lines) until the next `key:` line, and `\n` written literally.
// The rule here is line based: a line at column 0 that looks like `key:` followed by a space or the end of the line
// starts a key; every other line continues the value above it. Values are then read with the YAML rules that still
// make sense (quoted scalars with escapes, flow lists and maps, block lists, nested maps, block scalars, folding).

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

/** YAML line folding: one line break becomes a space, each blank line becomes a newline; edge blank lines drop. */
function fold(lines: readonly string[]): string {
  let out = '';
  let blanks = 0;
  let started = false;
  for (const line of lines) {
    if (line === '') {
      if (started) blanks++;
      continue;
    }
    if (started) out += blanks > 0 ? '\n'.repeat(blanks) : ' ';
    out += line;
    started = true;
    blanks = 0;
  }
  return out;
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

type Read = { ok: true; value: unknown; end: number } | { ok: false; message: string; lineOffset: number };

function lineOffsetAt(text: string, pos: number): number {
  let n = 0;
  for (let k = 0; k < pos && k < text.length; k++) if (text.charCodeAt(k) === 10) n++;
  return n;
}

const escapes: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

interface QuotedLine {
  text: string;
  /** The line ended with a backslash escape, which joins it to the next line without a space. */
  escapedBreak: boolean;
}

/** Reads a single- or double-quoted scalar starting at `start`; line breaks inside fold like plain text. */
function readQuoted(text: string, start: number): Read {
  const quote = text[start]!;
  const lines: QuotedLine[] = [];
  let current = '';
  // Trailing blanks typed in the file are dropped at a line break; blanks produced by escapes are kept.
  let rawTail = 0;
  let k = start + 1;
  const skipIndent = (): void => {
    while (text[k] === ' ' || text[k] === '\t') k++;
  };
  while (k < text.length) {
    const ch = text[k]!;
    if (ch === quote) {
      if (quote === "'" && text[k + 1] === "'") {
        current += "'";
        rawTail = 0;
        k += 2;
        continue;
      }
      lines.push({ text: current, escapedBreak: false });
      return { ok: true, value: foldQuoted(lines), end: k + 1 };
    }
    if (ch === '\n') {
      lines.push({ text: current.slice(0, current.length - rawTail), escapedBreak: false });
      current = '';
      rawTail = 0;
      k++;
      skipIndent();
      continue;
    }
    if (quote === '"' && ch === '\\') {
      const next = text[k + 1];
      if (next === undefined) break;
      if (next === '\n') {
        lines.push({ text: current, escapedBreak: true });
        current = '';
        rawTail = 0;
        k += 2;
        skipIndent();
        continue;
      }
      const simple = escapes[next];
      const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
      const hex = text.slice(k + 2, k + 2 + width);
      if (simple !== undefined) {
        current += simple;
        k += 2;
      } else if (width && hex.length === width && /^[0-9a-fA-F]+$/.test(hex) && Number.parseInt(hex, 16) <= 0x10ffff) {
        current += String.fromCodePoint(Number.parseInt(hex, 16));
        k += 2 + width;
      } else {
        return { ok: false, message: `unknown escape "\\${next}" in a double-quoted string`, lineOffset: lineOffsetAt(text, k) };
      }
      rawTail = 0;
      continue;
    }
    current += ch;
    rawTail = ch === ' ' || ch === '\t' ? rawTail + 1 : 0;
    k++;
  }
  const kind = quote === '"' ? 'double' : 'single';
  return { ok: false, message: `the ${kind}-quoted string is never closed`, lineOffset: lineOffsetAt(text, start) };
}

function foldQuoted(lines: readonly QuotedLine[]): string {
  let out = '';
  let blanks = 0;
  let join = false;
  lines.forEach((line, i) => {
    if (i === 0) {
      out = line.text;
      join = line.escapedBreak;
      return;
    }
    if (!join && line.text === '' && !line.escapedBreak && i < lines.length - 1) {
      blanks++;
      return;
    }
    if (!join) out += blanks ? '\n'.repeat(blanks) : ' ';
    out += line.text;
    blanks = 0;
    join = line.escapedBreak;
  });
  return out;
}

/** Reads a flow collection (`[a, b]`, `{k: v}`) or a scalar inside one, starting at `start`. */
function readFlow(text: string, start: number): Read {
  let k = start;
  const skip = (): void => {
    while (k < text.length && /\s/.test(text[k]!)) k++;
  };
  const readNode = (stops: string): Read => {
    skip();
    const ch = text[k];
    if (ch === '[' || ch === '{') {
      const r = readCollection();
      if (r.ok) k = r.end;
      return r;
    }
    if (ch === '"' || ch === "'") {
      const r = readQuoted(text, k);
      if (r.ok) k = r.end;
      return r;
    }
    const from = k;
    while (k < text.length) {
      const c = text[k]!;
      // Flow indicators always end a plain scalar inside a flow collection; a colon only ends a key.
      if (',[]{}'.includes(c)) break;
      if (c === ':' && stops.includes(':') && /[\s,\]}]/.test(text[k + 1] ?? ' ')) break;
      k++;
    }
    return { ok: true, value: resolvePlain(fold(text.slice(from, k).split('\n').map((s) => s.trim()))), end: k };
  };
  const readCollection = (): Read => {
    const open = text[k]!;
    const close = open === '[' ? ']' : '}';
    const opened = k;
    k++;
    const list: unknown[] = [];
    const map: Array<[string, unknown]> = [];
    for (;;) {
      skip();
      if (k >= text.length) {
        return { ok: false, message: `the flow ${open === '[' ? 'list' : 'map'} opened with "${open}" is never closed`, lineOffset: lineOffsetAt(text, opened) };
      }
      if (text[k] === close) {
        k++;
        return { ok: true, value: open === '[' ? list : Object.fromEntries(map), end: k };
      }
      if (open === '[') {
        const item = readNode(',]');
        if (!item.ok) return item;
        list.push(item.value);
      } else {
        const keyRead = readNode(':,}');
        if (!keyRead.ok) return keyRead;
        skip();
        let value: unknown = null;
        if (text[k] === ':') {
          k++;
          const v = readNode(',}');
          if (!v.ok) return v;
          value = v.value;
        }
        map.push([String(keyRead.value), value]);
      }
      skip();
      if (text[k] === ',') k++;
      else if (text[k] !== close && k < text.length) {
        return { ok: false, message: `expected "," or "${close}" but found ${JSON.stringify(text[k])}`, lineOffset: lineOffsetAt(text, k) };
      }
    }
  };
  return readCollection();
}

/** Turns a plain scalar into the value YAML would give it: booleans, null and plain decimal numbers; else text. */
function resolvePlain(text: string): unknown {
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
