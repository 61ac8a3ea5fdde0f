// Captures the committed part of the plan corpus live: every statement in planCorpusQueries.ts is explained by a real
// PostgreSQL server through psql, in all four formats and in the presentations people paste (psql's aligned output,
// its borders and line styles, expanded, unaligned, CSV, tuples only, echoed scripts, whole sessions with prompts in a
// terminal, terminal-wrapped panes), and by the real sqlite3 shell (its tree, `.eqp on`, and the rows in each of its
// output modes), plus the rows SQLite 3.22 returned before 3.24 changed them. Each file's manifest entry says how it
// was produced and holds the figures corpusCount.ts counts in it.
//
// Usage: npx vite-node scripts/capturePlanCorpus.ts [--recount]
// (--recount captures nothing: it recounts the figures of the live files already there, after corpusCount.ts changed)
// Needs psql, tmux and sqlite3 on the PATH and a PostgreSQL server (PGHOST, PGPORT, PGUSER as for psql; default
// 127.0.0.1:5432, user postgres) where that user may create a database: everything runs in a scratch database
// plan_corpus_<pid>, dropped at the end, and every statement that writes runs between BEGIN and ROLLBACK. The 3.22
// rows come from the SQLite engine inside sql.js 0.5.0, which the script installs with npm into a temporary folder.
// Timings differ from one capture to the next; the manifest's figures are recounted from the new files each time.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Capture, ManifestEntry } from '../test/unit/plan/corpusCheck';
import { expectedFigures, type CorpusFormat } from '../test/unit/plan/corpusCount';
import { pgQueries, pgSchema, sqliteQueries, sqliteSchema, type PgQuery, type SqliteQuery } from './planCorpusQueries';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = join(root, 'test/fixtures/plans/corpus');
const manifestPath = join(corpusDir, 'manifest.json');
const scriptPath = 'scripts/capturePlanCorpus.ts';

const pgEnv = { ...process.env, PGHOST: process.env['PGHOST'] ?? '127.0.0.1', PGPORT: process.env['PGPORT'] ?? '5432', PGUSER: process.env['PGUSER'] ?? 'postgres' };
const db = `plan_corpus_${process.pid}`;
const entries: ManifestEntry[] = [];

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL through psql

type PgFormat = 'text' | 'json' | 'xml' | 'yaml';
const pgFormats: PgFormat[] = ['text', 'json', 'xml', 'yaml'];
const extension: Record<PgFormat, string> = { text: 'txt', json: 'json', xml: 'xml', yaml: 'yaml' };

interface Presentation {
  id: string;
  /** What the manifest says about it. */
  label: string;
  /** psql command-line flags. */
  flags: string[];
  /** psql meta-commands run first. */
  prelude: string[];
}

const aligned: Presentation = { id: 'aligned', label: 'psql, default aligned output (border 1, ASCII lines)', flags: [], prelude: [] };
// Every statement is captured aligned in each format, and once more in one of these, taken in turn, so that each of
// them holds every format several times.
const otherPresentations: Presentation[] = [
  { id: 'border0', label: 'psql, \\pset border 0', flags: [], prelude: ['\\pset border 0'] },
  { id: 'border2', label: 'psql, \\pset border 2 (ASCII frame)', flags: [], prelude: ['\\pset border 2'] },
  { id: 'unicode', label: 'psql, \\pset linestyle unicode (↵ continuation marks)', flags: [], prelude: ['\\pset linestyle unicode'] },
  { id: 'unicode-border2', label: 'psql, \\pset linestyle unicode, \\pset border 2 (box frame)', flags: [], prelude: ['\\pset linestyle unicode', '\\pset border 2'] },
  {
    id: 'unicode-double-border2',
    label: 'psql, \\pset linestyle unicode, border 2, unicode_border_linestyle and unicode_header_linestyle double',
    flags: [],
    prelude: ['\\pset linestyle unicode', '\\pset border 2', '\\pset unicode_border_linestyle double', '\\pset unicode_header_linestyle double'],
  },
  { id: 'expanded', label: 'psql, \\x (expanded display)', flags: [], prelude: ['\\x'] },
  { id: 'expanded-border0', label: 'psql, \\x with \\pset border 0', flags: [], prelude: ['\\x', '\\pset border 0'] },
  { id: 'expanded-border2', label: 'psql, \\x with \\pset border 2', flags: [], prelude: ['\\x', '\\pset border 2'] },
  { id: 'expanded-unicode-border2', label: 'psql, \\x with \\pset linestyle unicode and border 2', flags: [], prelude: ['\\x', '\\pset linestyle unicode', '\\pset border 2'] },
  { id: 'unaligned', label: 'psql, \\a (unaligned, with header and footer)', flags: [], prelude: ['\\a'] },
  { id: 'unaligned-tuples', label: 'psql -At (unaligned, tuples only)', flags: ['-At'], prelude: [] },
  { id: 'csv', label: 'psql --csv', flags: ['--csv'], prelude: [] },
  { id: 'tuples-only', label: 'psql -t (aligned, tuples only)', flags: ['-t'], prelude: [] },
  { id: 'echo-all', label: 'psql -a (a script run with every line echoed before its result)', flags: ['-a'], prelude: [] },
];

/** The options inside EXPLAIN's parentheses; a text plan is asked for without FORMAT, as people write it. */
function explainOptions(q: PgQuery, format: PgFormat): string {
  return [q.options, format === 'text' ? '' : `format ${format}`].filter(Boolean).join(', ');
}

function explainStatement(q: PgQuery, format: PgFormat): string {
  const options = explainOptions(q, format);
  return `explain ${options ? `(${options}) ` : ''}${q.sql};`;
}

/** The statements around the EXPLAIN: settings, and BEGIN … ROLLBACK for a statement that writes. */
function before(q: PgQuery): string[] {
  return [...(q.settings ?? []).map((s) => `${s};`), ...(q.writes ? ['begin;'] : [])];
}

function psql(args: string[], input: string): string {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db, ...args, '-f', '-'], { input, env: pgEnv, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${args.join(' ')} failed: ${r.stderr}\n${input}`);
  return r.stdout;
}

function record(file: string, format: CorpusFormat, text: string, capture: Capture, repository: string, note: string, counted = text, wrapped = false): void {
  const path = join(corpusDir, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const expected: ManifestEntry['expected'] = expectedFigures(counted, format);
  if (wrapped) expected.wrapped = true;
  entries.push({ file, repository, path: scriptPath, commit: '', format, collected: 'live', capture, note, expected });
}

function capturePsql(q: PgQuery, format: PgFormat, p: Presentation, repository: string): void {
  const input = [...p.prelude, ...before(q), explainStatement(q, format), ...(q.writes ? ['rollback;'] : [])].join('\n') + '\n';
  const text = psql(p.flags, input);
  const capture: Capture = { tool: 'psql', query: q.sql, options: explainOptions(q, format), presentation: p.label };
  if (q.settings?.length || q.writes) capture.settings = [...before(q), ...(q.writes ? ['rollback;'] : [])];
  record(`live-pg15/${p.id}/${q.id}.${extension[format]}`, format, text, capture, repository, q.shows);
}

// ---------------------------------------------------------------------------------------------------------------
// Terminal sessions in tmux (on a server of our own, so no other tmux session is touched)

const tmuxSocket = `plan-corpus-${process.pid}`;
function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', tmuxSocket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Types one line; tmux reads a trailing `;` as its own command separator, so it is escaped. */
function typeLine(pane: string, line: string): void {
  tmux('send-keys', '-t', pane, '-l', line.endsWith(';') ? `${line.slice(0, -1)}\\;` : line);
  tmux('send-keys', '-t', pane, 'Enter');
}

/** Waits until the pane's last line is a prompt again (the statement has finished), at most 60 s. */
async function waitForPrompt(pane: string, prompt: RegExp): Promise<void> {
  for (let i = 0; i < 600; i++) {
    await sleep(100);
    const lines = tmux('capture-pane', '-t', pane, '-p').split('\n').filter((l) => l.trim() !== '');
    if (prompt.test(lines[lines.length - 1] ?? '')) return;
  }
  throw new Error(`${pane}: no prompt after 60 s`);
}

function trimBlankTail(text: string): string {
  return text.replace(/\s+$/, '') + '\n';
}

interface PaneCapture {
  raw: string;
  joined: string;
}

/** Runs `setup` then `statement` in a fresh terminal of the given width; returns the pane from the statement on. */
async function paneSession(command: string, width: number, prompt: RegExp, setup: string[], statement: string, after: string[]): Promise<PaneCapture> {
  const pane = `s${process.pid}`;
  // A tmux server that has just exited (its last session killed) may still hold the socket: try again briefly.
  for (let attempt = 1; ; attempt++) {
    try {
      tmux('new-session', '-d', '-s', pane, '-x', String(width), '-y', '400', command);
      break;
    } catch (err) {
      if (attempt === 5) throw err;
      await sleep(500);
    }
  }
  tmux('set-option', '-t', pane, 'history-limit', '20000');
  await waitForPrompt(pane, prompt);
  for (const line of setup) {
    typeLine(pane, line);
    await waitForPrompt(pane, prompt);
  }
  // A clean screen: what a user copies starts at the prompt where the statement was typed.
  tmux('send-keys', '-t', pane, 'C-l');
  await sleep(300);
  tmux('clear-history', '-t', pane);
  typeLine(pane, statement);
  await sleep(300);
  await waitForPrompt(pane, prompt);
  const raw = trimBlankTail(tmux('capture-pane', '-t', pane, '-p', '-S', '-'));
  const joined = trimBlankTail(tmux('capture-pane', '-t', pane, '-p', '-J', '-S', '-'));
  for (const line of after) {
    typeLine(pane, line);
    await waitForPrompt(pane, prompt);
  }
  tmux('kill-session', '-t', pane);
  return { raw: raw.replace(/^\n+/, ''), joined: joined.replace(/^\n+/, '') };
}

/** True when the terminal wrapped a line of the result (not just the typed statement above it). */
function resultWrapped(c: PaneCapture, marker: string): boolean {
  const after = (t: string) => t.slice(Math.max(0, t.indexOf(marker))).split('\n').length;
  return after(c.raw) !== after(c.joined);
}

const bracketPrompt = "\\set PROMPT1 '[%p](%n@%M:%>)%n@%/%R%# '";

async function capturePsqlPane(q: PgQuery, format: PgFormat, kind: string, width: number, promptSetting: string | undefined, repository: string): Promise<void> {
  const env = `PGHOST=${pgEnv.PGHOST} PGPORT=${pgEnv.PGPORT} PGUSER=${pgEnv.PGUSER}`;
  const setup = ['\\pset pager off', ...(promptSetting ? [promptSetting] : []), ...before(q)];
  const c = await paneSession(`env ${env} psql -X -d ${db}`, width, /[=-]# ?$/, setup, explainStatement(q, format), q.writes ? ['rollback;'] : []);
  const wrapped = resultWrapped(c, 'QUERY PLAN');
  const file = `live-pg15/${kind}/${q.id}.${extension[format]}`;
  const capture: Capture = {
    tool: 'psql in tmux',
    query: q.sql,
    options: explainOptions(q, format),
    presentation: `a psql session copied from a ${width}-column terminal (tmux capture-pane), ${promptSetting ? `prompt set with ${promptSetting}` : 'default prompt'}${wrapped ? ', lines wrapped by the terminal' : ''}`,
  };
  if (q.settings?.length || q.writes) capture.settings = [...before(q), ...(q.writes ? ['rollback;'] : [])];
  if (wrapped) {
    const joinedFile = join(corpusDir, `live-pg15/${kind}/.joined/${q.id}.${extension[format]}`);
    mkdirSync(dirname(joinedFile), { recursive: true });
    writeFileSync(joinedFile, c.joined);
  }
  record(file, format, c.raw, capture, repository, `${q.shows}${wrapped ? "; figures counted in .joined/ (the same pane captured with tmux's -J, wrapped lines joined)" : ''}`, c.joined, wrapped);
}

// ---------------------------------------------------------------------------------------------------------------
// SQLite

interface SqlitePresentation {
  id: string;
  label: string;
  /** Dot-commands before the statement. */
  dot: string[];
}

const sqliteTree: SqlitePresentation = { id: 'tree', label: "sqlite3's default display of EXPLAIN QUERY PLAN (the tree)", dot: [] };
const sqliteRows: SqlitePresentation = { id: 'rows-list-header', label: 'sqlite3 rows: .explain off, .header on, .mode list', dot: ['.explain off', '.header on', '.mode list'] };
const sqliteOthers: SqlitePresentation[] = [
  { id: 'rows-list', label: 'sqlite3 rows: .explain off, .mode list, no header', dot: ['.explain off', '.mode list'] },
  { id: 'rows-line', label: 'sqlite3 rows: .explain off, .mode line', dot: ['.explain off', '.mode line'] },
  { id: 'rows-column', label: 'sqlite3 rows: .explain off, .header on, .mode column', dot: ['.explain off', '.header on', '.mode column'] },
  { id: 'rows-box', label: 'sqlite3 rows: .explain off, .mode box', dot: ['.explain off', '.mode box'] },
  { id: 'rows-table', label: 'sqlite3 rows: .explain off, .mode table', dot: ['.explain off', '.mode table'] },
  { id: 'rows-markdown', label: 'sqlite3 rows: .explain off, .mode markdown', dot: ['.explain off', '.mode markdown'] },
  { id: 'rows-json', label: 'sqlite3 rows: .explain off, .mode json', dot: ['.explain off', '.mode json'] },
  { id: 'rows-csv', label: 'sqlite3 rows: .explain off, .header on, .mode csv', dot: ['.explain off', '.header on', '.mode csv'] },
  { id: 'rows-tabs', label: 'sqlite3 rows: .explain off, .header on, .mode tabs', dot: ['.explain off', '.header on', '.mode tabs'] },
];
const sqliteEqp: SqlitePresentation = { id: 'eqp-on', label: "sqlite3 with .eqp on: the plan printed before the statement's result", dot: ['.eqp on'] };

function sqlite3(file: string, input: string): string {
  const r = spawnSync('sqlite3', [file], { input, encoding: 'utf8' });
  if (r.status !== 0 || r.stderr) throw new Error(`sqlite3 failed: ${r.stderr}\n${input}`);
  return r.stdout;
}

function captureSqlite(file: string, q: SqliteQuery, p: SqlitePresentation, repository: string): void {
  const statement = p === sqliteEqp ? `${q.sql};` : `explain query plan ${q.sql};`;
  const text = sqlite3(file, [...p.dot, statement].join('\n') + '\n');
  record(`live-sqlite/${p.id}/${q.id}.txt`, 'sqlite', text, { tool: 'sqlite3', query: q.sql, presentation: p.label }, repository, q.shows);
}

async function captureSqliteSession(file: string, q: SqliteQuery, p: SqlitePresentation, repository: string): Promise<void> {
  const c = await paneSession(`sqlite3 ${file}`, 200, /^sqlite> ?$/, p.dot, `explain query plan ${q.sql};`, []);
  const capture: Capture = { tool: 'sqlite3 in tmux', query: q.sql, presentation: `a sqlite3 session copied from a 200-column terminal (tmux capture-pane), ${p.label}` };
  record(`live-sqlite/session-${p.id}/${q.id}.txt`, 'sqlite', c.raw, capture, repository, q.shows, c.joined);
}

interface OldSqlJs {
  Database: new () => { run(sql: string): void; exec(sql: string): { columns: string[]; values: unknown[][] }[] };
}

/** SQLite 3.22.0, the engine inside sql.js 0.5.0 (pure JavaScript), installed with npm into a temporary folder. */
function oldSqlite(): OldSqlJs {
  const dir = join(tmpdir(), 'dataeng-plan-corpus-sqljs-0.5.0');
  if (!existsSync(join(dir, 'node_modules/sql.js'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', 'sql.js@0.5.0'], { stdio: 'inherit' });
  }
  return createRequire(join(dir, 'index.js'))('sql.js') as OldSqlJs;
}

/** EXPLAIN QUERY PLAN rows from SQLite 3.22, printed as the sqlite3 shell's list mode prints them. */
function captureOldRows(engine: InstanceType<OldSqlJs['Database']>, version: string, q: SqliteQuery, header: boolean): void {
  const [result] = engine.exec(`explain query plan ${q.sql}`);
  if (!result) throw new Error(`SQLite ${version} gave no plan for ${q.id}`);
  const lines = [...(header ? [result.columns.join('|')] : []), ...result.values.map((row) => row.join('|'))];
  const id = header ? 'v3.22-rows-list-header' : 'v3.22-rows-list';
  const capture: Capture = {
    tool: `SQLite ${version} (sql.js 0.5.0)`,
    query: q.sql,
    presentation: `the rows SQLite ${version} returns for EXPLAIN QUERY PLAN (selectid, order, from, detail), printed as the sqlite3 shell's list mode prints them (columns joined by |${header ? ', with .header on' : ''})`,
  };
  record(`live-sqlite/${id}/${q.id}.txt`, 'sqlite', lines.join('\n') + '\n', capture, `live capture: SQLite ${version}, the engine in sql.js 0.5.0`, q.shows);
}

// ---------------------------------------------------------------------------------------------------------------

/** The live entries' figures, counted again from their files (from .joined/ for wrapped panes). */
function recount(): void {
  const all = JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestEntry[];
  for (const e of all.filter((x) => x.collected === 'live')) {
    const joined = join(corpusDir, dirname(e.file), '.joined', e.file.split('/').pop()!);
    const wrapped = e.expected.wrapped === true;
    e.expected = expectedFigures(readFileSync(wrapped ? joined : join(corpusDir, e.file), 'utf8'), e.format);
    if (wrapped) e.expected.wrapped = true;
  }
  writeFileSync(manifestPath, JSON.stringify(all, null, 1) + '\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--recount')) return recount();
  for (const dir of ['live-pg15', 'live-sqlite']) rmSync(join(corpusDir, dir), { recursive: true, force: true });
  const pgVersion = execFileSync('psql', ['-X', '-At', '-d', 'postgres', '-c', 'show server_version'], { env: pgEnv, encoding: 'utf8' }).trim();
  const psqlVersion = execFileSync('psql', ['--version'], { encoding: 'utf8' }).trim().replace(/^psql \(PostgreSQL\) /, '');
  const pgRepository = `live capture: PostgreSQL ${pgVersion}, psql ${psqlVersion}`;
  execFileSync('psql', ['-X', '-q', '-d', 'postgres', '-c', `create database ${db}`], { env: pgEnv });
  try {
    const vars = ['-v', `db=${db}`, '-v', `host=${pgEnv.PGHOST}`, '-v', `port=${pgEnv.PGPORT}`, '-v', `user=${pgEnv.PGUSER}`];
    psql(vars, pgSchema);
    console.log(`schema ready in ${db}`);
    pgQueries.forEach((q, qi) => {
      pgFormats.forEach((format, fi) => {
        capturePsql(q, format, aligned, pgRepository);
        capturePsql(q, format, otherPresentations[(qi + fi) % otherPresentations.length]!, pgRepository);
      });
    });
    console.log(`${entries.length} psql captures`);
    await pgSessions(pgRepository);
    console.log(`${entries.length} with the tmux sessions`);
  } finally {
    try {
      tmux('kill-server');
    } catch {
      // No tmux server was started, or it has already gone with its last session.
    }
    execFileSync('psql', ['-X', '-q', '-d', 'postgres', '-c', `drop database if exists ${db} with (force)`], { env: pgEnv });
  }

  const dir = mkdtempSync(join(tmpdir(), 'plan-corpus-'));
  const file = join(dir, 'library.db');
  sqlite3(file, sqliteSchema);
  const sqliteVersion = execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0]!;
  const sqliteRepository = `live capture: sqlite3 ${sqliteVersion}`;
  sqliteQueries.forEach((q, qi) => {
    captureSqlite(file, q, sqliteTree, sqliteRepository);
    captureSqlite(file, q, sqliteRows, sqliteRepository);
    captureSqlite(file, q, sqliteOthers[qi % sqliteOthers.length]!, sqliteRepository);
    // A second mode, half the list further on, so every mode holds several plans.
    captureSqlite(file, q, sqliteOthers[(qi + Math.floor(sqliteOthers.length / 2)) % sqliteOthers.length]!, sqliteRepository);
    if (q.eqp) captureSqlite(file, q, sqliteEqp, sqliteRepository);
  });
  for (const q of sqliteQueries.filter((x) => x.eqp).slice(0, 3)) {
    await captureSqliteSession(file, q, sqliteTree, sqliteRepository);
    await captureSqliteSession(file, q, sqliteRows, sqliteRepository);
  }
  try {
    tmux('kill-server');
  } catch {
    // Already gone.
  }
  const old = oldSqlite();
  const engine = new old.Database();
  engine.run(sqliteSchema);
  const [versionRow] = engine.exec('select sqlite_version()');
  const version = String(versionRow?.values[0]?.[0]);
  for (const q of sqliteQueries.filter((x) => x.old)) {
    captureOldRows(engine, version, q, true);
    captureOldRows(engine, version, q, false);
  }
  rmSync(dir, { recursive: true, force: true });

  const external = (JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestEntry[]).filter((e) => e.collected !== 'live');
  const all = [...external, ...entries].sort((a, b) => a.file.localeCompare(b.file));
  writeFileSync(manifestPath, JSON.stringify(all, null, 1) + '\n');
  console.log(`${entries.length} live plans captured; ${all.length} plans in the manifest`);
}

/** Whole psql sessions: every format with the default and a `[…]` prompt, and terminal-wrapped panes at four widths. */
async function pgSessions(repository: string): Promise<void> {
  const byId = new Map(pgQueries.map((q) => [q.id, q]));
  const pick = (...ids: string[]) => ids.map((id) => byId.get(id)!);
  const sessionQueries = pick('hash-join-top-cities', 'index-scan-pk', 'costs-off-single-node', 'insert-returning', 'subplans-everywhere', 'parallel-aggregate');
  for (const format of pgFormats) {
    for (const [i, q] of sessionQueries.entries()) {
      await capturePsqlPane(q, format, i % 2 ? 'session-bracket-prompt' : 'session-default-prompt', 300, i % 2 ? bracketPrompt : undefined, repository);
    }
  }
  const wrappedText = pick('hash-join-top-cities', 'parallel-verbose', 'cte-recursive', 'partition-runtime-pruning', 'jit-on', 'four-way-join');
  for (const width of [60, 80, 100, 120]) {
    for (const q of wrappedText) await capturePsqlPane(q, 'text', `wrapped-${width}`, width, undefined, repository);
  }
  // psql pads a JSON, XML or YAML plan's lines to the widest one: VERBOSE and Remote SQL make them wider than 60 columns.
  for (const format of ['json', 'xml', 'yaml'] as const) {
    for (const q of pick('foreign-scan', 'subplans-everywhere')) await capturePsqlPane(q, format, 'wrapped-60', 60, undefined, repository);
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
