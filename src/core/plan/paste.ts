// What terminals, psql settings, GUI tools and chats wrap around a plan, removed line by line so the parsers see the
// plan alone: Markdown fences, a psql session's prompts and SQL, the `QUERY PLAN` header and its rule, `(N rows)`,
// `\pset border 2` frames (ASCII and Unicode), the one-space cell margin, `+` and `↵` continuation marks, DBeaver's
// trailing `|`, lines wrapped in double or single quotes, CSV cells with `""` escapes, psql's expanded layout, and
// lines the terminal wrapped (reassembled, and said so). Every step is one linear pass; no regex backtracks over a
// line's text, so a pasted megabyte stays fast.

export interface CleanedPaste {
  lines: string[];
  /** What the cleanup changed that a reader should know about (it becomes a plan warning). */
  notes: string[];
}

const frameChars = '|│║';
/** A psql rule or frame line: nothing but box-drawing characters, dashes, pluses and spaces. */
function isRule(line: string): boolean {
  let seen = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') continue;
    if (!'-+=─═┼╪╞╡├┤╟╢╠╣┌┐└┘╔╗╚╝╤╧╥╨┬┴│║|'.includes(c)) return false;
    seen = true;
  }
  return seen;
}

/** A line's text inside a psql border-2 frame or a trailing-bar grid, without the bars. */
function unframe(line: string): string {
  let s = line.trimEnd();
  if (s.length && frameChars.includes(s[s.length - 1]!)) s = s.slice(0, -1);
  const t = s.trimStart();
  if (t.length && frameChars.includes(t[0]!)) s = t.slice(1);
  return s.startsWith(' ') ? s.slice(1) : s;
}

// psql's prompts (`db=# `, `db=> `, `db-# `, `[1234](…)user@db=# `) and the sqlite3 shell's (`sqlite> `, `   ...> `).
const promptRe = /^\S+[=\-('"*][#>](?:\s|$)|^sqlite> ?|^ *\.\.\.> ?/;
// `(3 rows)`, and psql's translations of it (`(3 lignes)`, `(3 Zeilen)`, `(3 строки)`…).
const footerRe = /^\(\d+ \p{L}+\)$/u;

/** `(N rows)` alone on its line; most lines are rejected by their first character, without allocating. */
function isFooter(line: string): boolean {
  let i = 0;
  while (i < line.length && line.charCodeAt(i) === 32) i++;
  return line.charCodeAt(i) === 40 /* ( */ && footerRe.test(line.trim());
}

function isHeader(content: string): boolean {
  return content.trim() === 'QUERY PLAN';
}

/** `QUERY PLAN` split over two lines by a narrow terminal, anywhere (`QUERY` / `PLAN`, `QUER` / `Y PLAN`, `QUERY PLA` / `N`). */
function isWrappedHeader(a: string, b: string | undefined): boolean {
  if (b === undefined) return false;
  const x = a.trim();
  if (!x || x.length > 9 || !'QUERY PLAN'.startsWith(x)) return false;
  return (x + b.trim()).replace(/ /g, '') === 'QUERYPLAN';
}

function isBlank(line: string): boolean {
  return lastNonBlank(line) === undefined;
}

/** The last character that is not a space or tab, or undefined for a blank line. */
function lastNonBlank(line: string): string | undefined {
  for (let i = line.length - 1; i >= 0; i--) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return line[i];
  }
  return undefined;
}

/** Removes psql's trailing continuation mark (`+`, or `↵` with `\pset linestyle unicode`) and the padding before it. */
function dropContinuation(line: string): string {
  const t = line.trimEnd();
  return t.endsWith('+') || t.endsWith('↵') ? t.slice(0, -1).trimEnd() : line;
}

/**
 * Reads one CSV column (psql --csv, pgAdmin and DBeaver exports): a field in double quotes may span lines and doubles
 * its quotes; other lines are taken as they are, which also covers psql's unaligned output.
 */
function readCsvColumn(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith('"')) {
      out.push(line);
      continue;
    }
    let field = '';
    let j = i;
    let pos = 1;
    let closed = false;
    for (;;) {
      const l = lines[j]!;
      while (pos < l.length) {
        const c = l[pos]!;
        if (c === '"') {
          if (l[pos + 1] === '"') {
            field += '"';
            pos += 2;
            continue;
          }
          closed = true;
          break;
        }
        field += c;
        pos++;
      }
      if (closed || j + 1 >= lines.length) break;
      field += '\n';
      j++;
      pos = 0;
    }
    for (const part of field.split('\n')) out.push(part);
    i = j;
  }
  return out;
}

// Plan-level lines of a text plan, which sit at the root's column: they are never the tail of a wrapped line.
const trailerRe = /^(?:Planning [Tt]ime|Execution [Tt]ime|Total runtime|Planning|Serialization|JIT|Settings|Query Identifier|Trigger\b)/;

/**
 * Rejoins lines a terminal wrapped in psql's aligned output, where every row starts with the one-space margin: a line
 * without it continues the one before, and so does a text-plan line at the root's column that is neither the root, nor a
 * plan-level line, nor after a blank, and one indented by an odd number of spaces past the margin. Every piece but the last filled the terminal's width, so the spaces a copy trimmed
 * off a piece's end are put back.
 */
function unwrapAligned(lines: string[], textPlan: boolean, notes: string[]): string[] {
  const continues = (i: number): boolean => {
    const line = lines[i]!;
    if (line === '' || isBlank(lines[i - 1]!)) return false;
    if (line.charCodeAt(0) !== 32) return true;
    if (!textPlan) return false;
    // A text plan indents by two spaces a level, so after the margin every row's text starts at an odd column: a
    // line starting at an even one is the rest of the line above, broken inside a run of spaces.
    let n = 1;
    while (n < line.length && line.charCodeAt(n) === 32) n++;
    if (n === line.length) return false;
    return n % 2 === 0 || (n === 1 && !trailerRe.test(line.slice(1)));
  };
  // First pass: count, and find the terminal's width, without allocating (most pastes are not wrapped).
  let count = 0;
  let width = 0;
  for (let i = 1; i < lines.length; i++) {
    if (!continues(i)) continue;
    count++;
    if (lines[i - 1]!.length > width) width = lines[i - 1]!.length;
  }
  if (!count) return lines;
  const out: string[] = [lines[0]!];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (!continues(i)) {
      out.push(line);
      continue;
    }
    // Each wrapped piece filled the terminal's width; the spaces a copy trimmed off its end are put back.
    const prev = out[out.length - 1]!;
    out[out.length - 1] = prev.padEnd(Math.ceil(prev.length / width) * width) + line;
  }
  notes.push(`the terminal had wrapped ${count} line${count === 1 ? '' : 's'} of this plan; they were joined back before reading it`);
  return out;
}

// The line above each record in psql's expanded display (\x): `-[ RECORD 1 ]---` (border 1, and with a `+` or box
// corner under border 2, `─` with the Unicode line style), or `* Record 1` (border 0).
const recordRe = /^(?:[+┌├╔╠╟]?[-─═]\[ RECORD \d+ \]|\* Record \d+\s*$)/;

/**
 * psql's expanded display, one record per row of the result: `QUERY PLAN | value` then `           | value` for the
 * value's further lines, inside a frame under border 2, after a plain space under border 0. The value column is where
 * the first row's value starts, so every value line is cut at the same column. Returns the values, one row after
 * another (a text plan has one record per plan line), or undefined when the paste is not in expanded display.
 */
function expandedValues(lines: readonly string[]): string[] | undefined {
  let first = -1;
  // The first record comes first, or after a prompt and its statement: a plan's own lines are not searched.
  for (let i = 0; i < lines.length && i < 1000 && first === -1; i++) {
    const l = lines[i]!;
    if (l.includes('ECORD') || l.includes('Record')) first = recordRe.test(l.trimStart()) ? i : -1;
  }
  const sample = lines[first + 1];
  if (first === -1 || sample === undefined) return undefined;
  // `| QUERY PLAN | ` (border 2), `QUERY PLAN | ` (border 1), `QUERY PLAN ` (border 0).
  const framed = frameChars.includes(sample.trimStart()[0] ?? '');
  const nameStart = framed ? sample.indexOf(sample.trimStart()[0]!) + 2 : 0;
  let col = -1;
  for (let i = nameStart; i + 1 < sample.length && col === -1; i++) if (frameChars.includes(sample[i]!) && sample[i + 1] === ' ' && sample[i - 1] === ' ') col = i + 2;
  if (col === -1) col = sample.startsWith('QUERY PLAN ') ? 11 : -1;
  if (col === -1) return undefined;
  const out: string[] = [];
  for (let i = first; i < lines.length; i++) {
    const l = lines[i]!;
    const t = l.trimStart();
    // Record lines, and border 2's bottom edge (`+---+---+`, `└───┴───┘`); an empty value's line is kept.
    if (recordRe.test(t) || (isRule(l) && /^[+└╚]/.test(t))) continue;
    // A value line: nothing but the column's name, frame bars and padding before the value column.
    const label = l.slice(0, col);
    if (label.replace(/[ |│║]/g, '') !== '' && label.replace(/[ |│║]/g, '') !== 'QUERYPLAN') break;
    let value = l.length > col ? l.slice(col).trimEnd() : '';
    if (framed && frameChars.includes(value[value.length - 1] ?? '')) value = value.slice(0, -1).trimEnd();
    out.push(value);
  }
  return out;
}

/** Removes everything around a pasted plan; see the file comment. Never throws. */
export function cleanPaste(text: string): CleanedPaste {
  const notes: string[] = [];
  // Markdown code fences around a pasted plan (from a chat, an issue, a wiki page) are not part of it.
  let lines = text.split(/\r?\n/).filter((l) => !/^\s*(?:```|~~~)[\w-]*\s*$/.test(l));
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  lines = dedent(lines);

  const expanded = expandedValues(lines);
  let header = -1;
  let headerLines = 1;
  let aligned = false;
  let framed = false;
  let csv = false;
  if (expanded) {
    lines = expanded;
    aligned = true;
  } else {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      // Cheap test first: this loop sees every line of a header-less plan.
      if (!l.includes('Q')) continue;
      if (isHeader(unframe(l)) || isHeader(l.trimEnd().replace(/\|$/, ''))) {
        header = i;
        break;
      }
      if (isWrappedHeader(l, lines[i + 1])) {
        header = i;
        headerLines = 2;
        break;
      }
    }

    if (header === -1) {
      // Another column name above psql's rule (a function that returns a plan, such as PostgreSQL's explain_filter()).
      let k = 0;
      while (k < lines.length && (lines[k]!.trim() === '' || promptRe.test(lines[k]!))) k++;
      if (k + 1 < lines.length && /^\s*[A-Za-z_][\w ]{0,62}$/.test(lines[k]!.trimEnd()) && isRule(lines[k + 1]!) && lines[k + 1]!.includes('-')) header = k;
    }

    if (header !== -1) {
      const h = lines[header]!.trim();
      framed = h.length > 0 && frameChars.includes(h[0]!);
      const bar = !framed && h.endsWith('|');
      let start = header + headerLines;
      // The rule under the header; a narrow terminal may wrap it, and the header's padding, onto further lines.
      let end = start;
      while (end < lines.length && (lines[end]!.trim() === '' || (isRule(lines[end]!) && lines[end]!.trim() !== '|'))) {
        if (lines[end]!.trim() !== '') {
          aligned = true;
          start = end + 1;
        }
        end++;
      }
      lines = lines.slice(start);
      csv = !aligned && !framed;
      if (framed) lines = lines.filter((l) => !isRule(l)).map(unframe);
      else if (bar) lines = lines.map((l) => l.trimEnd().replace(/\|$/, '').trimEnd());
    } else {
      // No header: a session pasted with tuples only, or a plan with psql's rule still above it.
      let start = 0;
      while (start < lines.length && (isRule(lines[start]!) || promptRe.test(lines[start]!))) {
        if (isRule(lines[start]!)) aligned = true;
        start++;
      }
      lines = lines.slice(start);
    }
  }

  // The footer ends the result; a prompt after it is the next command.
  const footer = lines.findIndex((l) => isFooter(l));
  if (footer !== -1) lines = lines.slice(0, footer);
  while (lines.length && (lines[lines.length - 1]!.trim() === '' || promptRe.test(lines[lines.length - 1]!))) lines.pop();

  // A CSV cell pasted without its header: the whole plan in one pair of double quotes.
  const firstLine = lines.find((l) => l.trim() !== '') ?? '';
  if (csv || /^"[[{<]/.test(firstLine)) lines = readCsvColumn(lines);

  const firstText = lines.find((l) => l.trim() !== '') ?? '';
  // psql's border 1 (the default) starts every row with a one-space margin; border 0 has none.
  if (aligned && !framed && firstText.startsWith(' ')) {
    lines = unwrapAligned(lines, /^[A-Za-z]/.test(firstText.trim()), notes);
    lines = lines.map((l) => (l.startsWith(' ') ? l.slice(1) : l));
  }
  // These checks run on every line of multi-megabyte pastes, so they count and stop early without allocating.
  let marked = 0;
  for (const l of lines) {
    const c = lastNonBlank(l);
    if (c === '+' || c === '↵') marked++;
  }
  if (aligned || framed || (lines.length > 2 && marked >= lines.length / 2)) lines = lines.map(dropContinuation);
  lines = unquoteAll(lines);
  // pgAdmin's export quotes the header too, so it is only recognised once unquoted.
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first !== -1 && isHeader(lines[first]!)) lines = lines.slice(first + 1);
  return { lines, notes };
}

/** Removes the indentation every line shares (a plan quoted in a Markdown list or an indented code block). */
function dedent(lines: string[]): string[] {
  let min = Infinity;
  for (const l of lines) {
    if (l.trim() === '') continue;
    let n = 0;
    while (n < l.length && l[n] === ' ') n++;
    if (n < min) min = n;
    if (min === 0) return lines;
  }
  return min === Infinity ? lines : lines.map((l) => l.slice(min));
}

/** pgAdmin's and CSV exports' double quotes, or single quotes, around every line (doubled inside). */
function unquoteAll(lines: string[]): string[] {
  // An export that only closed its quotes: every line ends with `"` and none starts with one.
  let stray = lines.some((l) => l.trim() !== '');
  for (const l of lines) {
    const t = l.trim();
    if (t === '') continue;
    if (!t.endsWith('"') || t.startsWith('"') || t.endsWith('""')) {
      stray = false;
      break;
    }
  }
  if (stray) return lines.map((l) => l.trimEnd().replace(/"$/, ''));
  for (const q of ['"', "'"]) {
    let quoted = false;
    for (const l of lines) {
      const t = l.trim();
      if (t === '') continue;
      const body = t.endsWith(',') ? t.slice(0, -1).trimEnd() : t;
      quoted = body.length >= 2 && body.startsWith(q) && body.endsWith(q);
      if (!quoted) break;
    }
    if (!quoted) continue;
    const doubled = q + q;
    return lines.map((l) => {
      const t = l.trim();
      const body = t.endsWith(',') ? t.slice(0, -1).trimEnd() : t;
      return body.length >= 2 ? body.slice(1, -1).split(doubled).join(q) : l;
    });
  }
  return lines;
}
