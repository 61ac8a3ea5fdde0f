// Scalar and flow readers for the lenient front-matter reader: quoted strings with YAML escapes and folding, flow
// lists and maps, and the plain-scalar types YAML would resolve. Each reader reports where it failed; none throws.

/** YAML line folding: one line break becomes a space, each blank line becomes a newline; edge blank lines drop. */
export function fold(lines: readonly string[]): string {
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

export type Read = { ok: true; value: unknown; end: number } | { ok: false; message: string; lineOffset: number };

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
export function readQuoted(text: string, start: number): Read {
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
export function readFlow(text: string, start: number): Read {
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
export function resolvePlain(text: string): unknown {
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
