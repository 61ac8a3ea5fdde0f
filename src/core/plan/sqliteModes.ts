// The rows of SQLite's EXPLAIN QUERY PLAN as the sqlite3 shell prints them with `.explain off` in its output modes:
// list (`|`), csv, tabs, column, box, table, markdown and line, under the header that names the columns
// (`id parent notused detail`, or `selectid order from detail` before 3.24). The header fixes the layout, so each row is
// cut the same way; every step is a plain split of one line, with no regex over the detail text.
import type { SqliteRow } from './sqlite';

const headers = ['id,parent,notused,detail', 'selectid,order,from,detail'];
const frames = '|│║';

export interface ShellRows {
  rows: SqliteRow[];
  /** Before 3.24 (`selectid|order|from|detail`): the first column repeats and the rows carry no nesting. */
  old: boolean;
  /** Lines after the table that were not read (the next prompt is not counted). */
  leftOut: number;
}

type Layout = 'framed' | 'column' | 'line' | { separator: string };

/** The cells of a line in the given layout, or undefined when the line does not fit it. */
function cells(line: string, layout: Layout): string[] | undefined {
  const t = line.trim();
  if (layout === 'framed') {
    if (!t.length || !frames.includes(t[0]!) || !frames.includes(t[t.length - 1]!)) return undefined;
    const inner = t.slice(1, -1);
    // Split on whichever frame character the line uses; the detail never holds one.
    const bar = frames.split('').find((c) => inner.includes(c)) ?? '|';
    return inner.split(bar).map((c) => c.trim());
  }
  if (layout === 'column') {
    // Three numbers, then the detail (which holds spaces itself): split off three words.
    const out: string[] = [];
    let rest = t;
    for (let i = 0; i < 3; i++) {
      const space = rest.search(/\s/);
      if (space === -1) return undefined;
      out.push(rest.slice(0, space));
      rest = rest.slice(space).trimStart();
    }
    out.push(rest);
    return out;
  }
  if (layout === 'line') return undefined;
  const parts = t.split(layout.separator);
  if (parts.length < 4) return undefined;
  // The detail is everything after the third separator (a CSV detail comes in double quotes, doubled inside).
  let detail = parts.slice(3).join(layout.separator);
  if (layout.separator === ',' && detail.length >= 2 && detail.startsWith('"') && detail.endsWith('"')) detail = detail.slice(1, -1).split('""').join('"');
  return [parts[0]!, parts[1]!, parts[2]!, detail];
}

function isRuleLine(t: string): boolean {
  if (!t) return false;
  for (const c of t) if (!'-+=|─═┼╪├┤┌┐└┘┬┴│╞╡╔╗╚╝╠╣╤╧║ '.includes(c)) return false;
  return true;
}

/** The layout a header line is in, or undefined when it is not the header of EXPLAIN QUERY PLAN rows. */
function headerLayout(line: string): Layout | undefined {
  const t = line.trim();
  const name = (s: string[]) => s.length === 4 && headers.includes(s.map((c) => c.trim()).join(','));
  if (t.length && frames.includes(t[0]!)) return name(cells(t, 'framed') ?? []) ? 'framed' : undefined;
  for (const separator of ['|', ',', '\t']) if (name(t.split(separator))) return { separator };
  return name(t.split(/ +/)) ? 'column' : undefined;
}

function toRow(c: string[] | undefined): SqliteRow | undefined {
  if (!c || c.length !== 4 || !/^\d+$/.test(c[0]!) || !/^\d+$/.test(c[1]!) || !/^\d+$/.test(c[2]!)) return undefined;
  return { id: Number(c[0]), parent: Number(c[1]), detail: c[3]! };
}

const prompt = /^(?:sqlite> ?| *\.\.\.> ?)/;

/** `.mode line`: one `name = value` line per column, a blank line between rows. */
function lineMode(lines: readonly string[], start: number): ShellRows | undefined {
  const rows: SqliteRow[] = [];
  let old = false;
  let record: Record<string, string> = {};
  let i = start;
  const flush = () => {
    const names = Object.keys(record).join(',');
    if (!names) return true;
    if (!headers.includes(names)) return false;
    old ||= names.startsWith('selectid');
    const row = toRow([record['id'] ?? record['selectid']!, record['parent'] ?? record['order']!, record['notused'] ?? record['from']!, record['detail']!]);
    if (!row) return false;
    rows.push(row);
    record = {};
    return true;
  };
  for (; i < lines.length; i++) {
    const t = lines[i]!.trim();
    if (t === '') {
      if (!flush()) return undefined;
      continue;
    }
    const eq = t.indexOf(' = ');
    const key = eq === -1 ? '' : t.slice(0, eq).trim();
    if (!/^(?:id|parent|notused|detail|selectid|order|from)$/.test(key)) break;
    record[key] = t.slice(eq + 3);
  }
  if (!flush() || !rows.length) return undefined;
  return { rows, old, leftOut: countLeftOut(lines, i) };
}

function countLeftOut(lines: readonly string[], from: number): number {
  let n = 0;
  for (let i = from; i < lines.length; i++) if (lines[i]!.trim() !== '' && !prompt.test(lines[i]!)) n++;
  return n;
}

/**
 * Finds the rows under their header, skipping what comes before it (a `sqlite>` prompt and the statement). Returns
 * undefined when the text holds no such header followed by rows; the caller then tries the other readers.
 */
export function readShellRows(lines: readonly string[]): ShellRows | undefined {
  for (let h = 0; h < lines.length; h++) {
    const t = lines[h]!.trim();
    if (t === '' || prompt.test(lines[h]!) || isRuleLine(t)) continue;
    if (/^(?:id|selectid) = /.test(t)) return lineMode(lines, h);
    const layout = headerLayout(t);
    if (!layout) {
      // Only a prompt and its statement may come before the header.
      if (h > 0 && prompt.test(lines[h - 1]!)) continue;
      if (/^(?:explain|select|with)\b/i.test(t)) continue;
      return undefined;
    }
    const old = t.includes('selectid');
    const rows: SqliteRow[] = [];
    let i = h + 1;
    // Rule lines (under the header, a frame's edges) are passed over; the table ends at the first line that is not a row.
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      if (isRuleLine(l.trim())) continue;
      const row = toRow(cells(l, layout));
      if (!row) break;
      rows.push(row);
    }
    if (!rows.length) return undefined;
    return { rows, old, leftOut: countLeftOut(lines, i) };
  }
  return undefined;
}
