// Relative file paths in DuckDB queries, made absolute against the workspace folder. DuckDB resolves a relative path
// against the process's working directory, which in the extension host is not the workspace, and a worker thread
// cannot change it; with `enable_external_access = false` DuckDB also checks a relative path against the allowed
// directories as written, so `'data/*.parquet'` would be refused. Pure: only the lexer, no file system.
import { tokenize, type Token } from './lexer';

/** Table functions whose first argument is a file path, a glob or a list of them. */
const fileFunctions = new Set([
  'read_parquet', 'parquet_scan', 'parquet_metadata', 'parquet_schema', 'parquet_file_metadata', 'parquet_kv_metadata',
  'read_csv', 'read_csv_auto', 'sniff_csv', 'read_json', 'read_json_auto', 'read_ndjson', 'read_ndjson_auto',
  'read_json_objects', 'read_ndjson_objects', 'read_text', 'read_blob', 'glob', 'read_xlsx',
]);

const significant = (t: Token): boolean => t.kind !== 'whitespace' && t.kind !== 'lineComment' && t.kind !== 'blockComment';

/** A path DuckDB would not resolve against the working directory: absolute, home-relative, a URL or a Windows path. */
export function isRelativeFilePath(path: string): boolean {
  if (path === '' || path.startsWith('/') || path.startsWith('~') || path.startsWith('\\')) return false;
  if (/^[A-Za-z]:[\\/]/.test(path)) return false;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(path)) return false;
  return true;
}

/** `base` joined with a relative `path`, with `base`'s separator; `./` prefixes are dropped, `..` is left to DuckDB's check. */
export function joinPath(base: string, path: string): string {
  const windows = /^[A-Za-z]:\\/.test(base) || base.startsWith('\\\\');
  const sep = windows ? '\\' : '/';
  const trimmed = base.replace(/[\\/]+$/, '');
  const rest = path.replace(/^(\.[\\/])+/, '');
  return `${trimmed}${sep}${windows ? rest.replace(/\//g, '\\') : rest}`;
}

export interface ResolvedPaths {
  sql: string;
  /** The paths that were rewritten, as written and as resolved. */
  rewritten: { from: string; to: string }[];
}

/**
 * Rewrites every relative path in a file position — a string right after FROM or JOIN, or in the first argument of a
 * file-reading table function (`read_parquet('a.parquet')`, `read_csv(['a.csv', 'b.csv'])`) — to an absolute path
 * under `base`. Other strings are never touched, so a literal in a WHERE clause keeps its meaning.
 */
export function resolveDuckdbPaths(sql: string, base: string): ResolvedPaths {
  const toks = tokenize(sql, 'duckdb').filter(significant);
  const targets: Token[] = [];
  const lower = (t: Token | undefined): string => (t && t.kind === 'word' ? sql.slice(t.start, t.end).toLowerCase() : '');
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind === 'string') {
      const prev = lower(toks[i - 1]);
      if (prev === 'from' || prev === 'join') targets.push(t);
      continue;
    }
    if (t.kind !== 'word' || !fileFunctions.has(lower(t)) || sql.slice(toks[i + 1]?.start ?? 0, toks[i + 1]?.end ?? 0) !== '(') continue;
    // The first argument: everything up to the first comma at depth 1 or the closing parenthesis.
    let depth = 0;
    for (let j = i + 1; j < toks.length; j++) {
      const x = toks[j]!;
      const s = sql.slice(x.start, x.end);
      if (s === '(' || s === '[') depth++;
      else if (s === ')' || s === ']') {
        depth--;
        if (depth === 0) break;
      } else if (s === ',' && depth === 1) break;
      else if (x.kind === 'string') targets.push(x);
    }
  }
  if (!targets.length) return { sql, rewritten: [] };
  let out = '';
  let at = 0;
  const rewritten: ResolvedPaths['rewritten'] = [];
  for (const t of targets.sort((a, b) => a.start - b.start)) {
    if (t.start < at || t.unterminated || sql[t.start] !== "'") continue;
    const value = sql.slice(t.start + 1, t.end - 1).replace(/''/g, "'");
    if (!isRelativeFilePath(value)) continue;
    const to = joinPath(base, value);
    out += `${sql.slice(at, t.start)}'${to.replace(/'/g, "''")}'`;
    at = t.end;
    rewritten.push({ from: value, to });
  }
  return { sql: out + sql.slice(at), rewritten };
}
