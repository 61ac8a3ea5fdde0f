// Collects real EXPLAIN outputs from git snapshots of public repositories into test/fixtures/plans/corpus/.
// Usage: npx vite-node scripts/collectPlanCorpus.ts -- MIRROR_DIR [OUT_DIR]
// MIRROR_DIR holds one bare git directory per repository, named `owner+name/repo`. Only plan text is copied (it is
// data, kept with its source); no code of those projects is. Each plan becomes one file under OUT_DIR (default
// test/fixtures/plans/corpus/external/, which is not committed: data from other repositories lives outside this
// repository, see test/unit/plan/corpusCheck.ts), and manifest.json (committed) records the repository, path, commit
// and line it came from, with the figures the plan itself states (see corpusCount.ts). Entries collected live
// (scripts/capturePlanCorpus.ts) are committed and kept as they are; entries copied by hand are external too, and are
// restored into OUT_DIR from the commit of this repository that last held them (see restoreByHand).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ManifestEntry } from '../test/unit/plan/corpusCheck';
import { detectFormat, expectedFigures, type CorpusFormat } from '../test/unit/plan/corpusCount';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const corpusDir = join(root, 'test/fixtures/plans/corpus');
const manifestPath = join(corpusDir, 'manifest.json');

interface Source {
  /** Folder name under corpus/. */
  name: string;
  repo: string;
  /** Files to scan (git pathspecs). */
  paths: string[];
  /** At most this many plans of each format from this source; blocks are taken round-robin over files. */
  cap: number;
  /** pev2 keeps one plan per file; the rest are regression outputs holding many. */
  kind: 'whole-file' | 'regress' | 'spec-literals' | 'pgsp';
  note?: string;
}

const sources: Source[] = [
  { name: 'pev2', repo: 'dalibo/pev2', paths: ['src/services/__tests__/*/*plan'], cap: 1000, kind: 'whole-file' },
  { name: 'pev2', repo: 'dalibo/pev2', paths: ['src/services/__tests__/*.spec.ts'], cap: 1000, kind: 'spec-literals' },
  { name: 'pg_hint_plan', repo: 'ossc-db/pg_hint_plan', paths: ['expected/*.out'], cap: 90, kind: 'regress' },
  { name: 'hypopg', repo: 'HypoPG/hypopg', paths: ['expected/*.out', 'README.md', 'docs/*.rst'], cap: 60, kind: 'regress' },
  { name: 'pgvector', repo: 'pgvector/pgvector', paths: ['test/expected/*.out', 'README.md'], cap: 40, kind: 'regress' },
  { name: 'timescaledb', repo: 'timescale/timescaledb', paths: ['test/expected/*.out', 'tsl/test/expected/*.out', 'tsl/test/shared/expected/*.out'], cap: 110, kind: 'regress' },
  { name: 'citus', repo: 'citusdata/citus', paths: ['src/test/regress/expected/*.out', 'README.md'], cap: 110, kind: 'regress' },
  { name: 'pg_pathman', repo: 'postgrespro/pg_pathman', paths: ['expected/*.out'], cap: 60, kind: 'regress' },
  {
    name: 'postgres-12',
    repo: 'zhou-xu/pg12.0_disk-based_hashagg',
    paths: ['src/test/regress/expected/*.out'],
    cap: 100,
    kind: 'regress',
    note: "PostgreSQL 12.0's regression outputs (src/test/regress/expected), from a public copy of its source; explain.out's explain_filter() replaces numbers with N",
  },
  {
    name: 'postgres-14',
    repo: 'chirpyli/minipg',
    paths: ['src/test/regress/expected/*.out'],
    cap: 60,
    kind: 'regress',
    note: "PostgreSQL 14.23's regression outputs (src/test/regress/expected), from a public copy of its source",
  },
  {
    name: 'pg_store_plans',
    repo: 'ossc-db/pg_store_plans',
    paths: ['expected/convert.out'],
    cap: 40,
    kind: 'pgsp',
    note: "PostgreSQL's JSON plans rendered in YAML, XML or text by pg_store_plans' own converter (pg_store_plans_yamlplan, _xmlplan, _textplan)",
  },
];

// Inputs that are in a repository's tests on purpose but are not plans a server printed.
const excluded: Record<string, string> = {
  'dalibo/pev2:src/services/__tests__/1-parse-error-line-break.spec.ts': 'a plan with a line of prose inserted, to test an error',
  'dalibo/pev2:src/services/__tests__/25-cleanup-source-backtracking.spec.ts': 'a truncated JSON fragment built to test regex backtracking',
};

/**
 * pev2's line-wrapped plans: the counter cannot see through the terminal's wrapping (a continuation line may carry
 * `(actual …`), so the figures come from pev2's own expected parse of each one, the `NN-expect` file beside it.
 */
function wrappedFigures(gitDir: string, path: string): ManifestEntry['expected'] | undefined {
  if (!path.includes('/12-line-wrapped-plans/')) return undefined;
  const expect = git(gitDir, ['show', `HEAD:${path.replace(/-plan$/, '-expect')}`]);
  const figures: ManifestEntry['expected'] = { nodes: (expect.match(/"Node Type"/g) ?? []).length, wrapped: true };
  const planning = /"Planning Time": ([\d.]+)/.exec(expect);
  const execution = /"Execution Time": ([\d.]+)/.exec(expect);
  if (planning) figures.planningMs = Number(planning[1]);
  if (execution) figures.executionMs = Number(execution[1]);
  return figures;
}

/**
 * Plans copied by hand from another project (SQLite's test/eqp.test, read through the file index: the sqlite/sqlite
 * repository is too large to mirror here) were committed until this commit, then moved out of the tree. They are
 * restored from this repository's own history into OUT_DIR, so one command re-creates the whole external part.
 */
const byHandCommit = '8dc83765c5c61a5d5a9c610ab63653cea261a35c';

function restoreByHand(entry: ManifestEntry, outDir: string): string {
  const path = join(outDir, entry.file);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, git(join(root, '.git'), ['show', `${byHandCommit}:test/fixtures/plans/corpus/${entry.file}`]));
  }
  return readFileSync(path, 'utf8');
}

function git(gitDir: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

interface Block {
  path: string;
  line: number;
  text: string;
  format: CorpusFormat;
}

const formatOf = detectFormat;

/** psql result blocks headed `QUERY PLAN`, and the raw XML/YAML/JSON bodies printed with `\a\t`. */
function regressBlocks(path: string, text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    // psql's header: `QUERY PLAN`, or the column of PostgreSQL's own explain_filter() test helper.
    if ((l.trim() === 'QUERY PLAN' || l.trim() === 'explain_filter') && /^-+$/.test((lines[i + 1] ?? '').trim())) {
      let end = i + 2;
      // A result ends at its footer, or (with `\pset footer off`) at the first empty line: psql prints an empty row as a space.
      while (end < lines.length && end < i + 3000 && lines[end] !== '' && !/^\(\d+ rows?\)$/.test(lines[end]!.trim())) end++;
      if (end >= lines.length || end === i + 2) continue;
      const body = lines.slice(i + 2, end).join('\n');
      const last = lines[end] === '' ? end : end + 1;
      // explain_filter() writes N for every number, which leaves its JSON no longer JSON: not something a server prints.
      if (l.trim() === 'explain_filter' && formatOf(body) === 'json') continue;
      out.push({ path, line: i + 1, text: lines.slice(i, last).join('\n') + '\n', format: formatOf(body) });
      i = end;
      continue;
    }
    if (l === '--- QUERY PLAN ---') {
      // TimescaleDB's test harness prints this line instead of psql's header, then the plan up to a blank line.
      let end = i + 1;
      while (end < lines.length && lines[end]!.trim() !== '') end++;
      if (end === i + 1) continue;
      const body = lines.slice(i + 1, end).join('\n');
      out.push({ path, line: i + 2, text: body + '\n', format: formatOf(body) });
      i = end;
      continue;
    }
    const xml = l.startsWith('<explain xmlns=');
    const yaml = l === '- Plan:';
    const json = l === '[' && /^\s+\{\s*$/.test(lines[i + 1] ?? '') && /"Plan": \{/.test(lines[i + 2] ?? '');
    if (xml || yaml || json) {
      let end = i + 1;
      if (xml) while (end < lines.length && lines[end] !== '</explain>') end++;
      else if (json) while (end < lines.length && lines[end] !== ']') end++;
      else {
        while (end < lines.length && (lines[end]!.startsWith(' ') || lines[end] === '- Plan:')) end++;
        end--;
      }
      if (end >= lines.length) continue;
      out.push({ path, line: i + 1, text: lines.slice(i, end + 1).join('\n') + '\n', format: xml ? 'xml' : yaml ? 'yaml' : 'json' });
      i = end;
    }
  }
  return out;
}

/** pg_store_plans' conversion test: each plan follows a `### <format> ###### Plan N: title` line. */
function pgspBlocks(path: string, text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^### \S+\s+###### Plan \d+/.test(lines[i]!)) continue;
    let end = i + 1;
    // Each plan ends at the next title, the `=======` line the test prints between plans, or the footer.
    while (end < lines.length && !lines[end]!.startsWith('###') && !/^=+$/.test(lines[end]!) && !/^\(\d+ rows?\)$/.test(lines[end]!)) end++;
    const body = lines.slice(i + 1, end).join('\n').replace(/\n+$/, '');
    // The chopped-source tests cut plans short on purpose (`<truncated>`): not plans anyone pastes.
    if (body.trim() && !body.includes('<truncated>')) out.push({ path, line: i + 2, text: body + '\n', format: formatOf(body) });
    i = end - 1;
  }
  return out;
}

/** Template literals in pev2's spec files that hold a plan (no `${}` interpolation). */
function specLiterals(path: string, text: string): Block[] {
  const out: Block[] = [];
  const re = /`([^`]*)`/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // The literal as the test sees it: template escapes (\\, \`, \$) resolved.
    const body = m[1]!.replace(/\\([\\`$])/g, '$1');
    if (m[1]!.includes('${') || !/\(cost=|\(actual |"Node Type"|->\s|QUERY PLAN/.test(body)) continue;
    const line = text.slice(0, m.index).split('\n').length;
    out.push({ path, line, text: body.replace(/^\n/, ''), format: formatOf(body) });
  }
  return out;
}

function main(): void {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const mirror = args[0];
  if (!mirror) throw new Error('usage: collectPlanCorpus.ts MIRROR_DIR [OUT_DIR]');
  const outDir = args[1] ?? join(corpusDir, 'external');
  const previous: ManifestEntry[] = existsSync(manifestPath) ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as ManifestEntry[]) : [];
  const kept = previous.filter((e) => e.collected !== 'script');
  const texts = new Map<ManifestEntry, string>();
  // Entries added by hand or captured live keep their source; their figures are recounted like every other.
  for (const e of kept) {
    const text = e.external ? restoreByHand(e, outDir) : readFileSync(join(corpusDir, e.file), 'utf8');
    texts.set(e, text);
    e.format = e.format === 'sqlite' ? 'sqlite' : detectFormat(text);
    const joined = join(corpusDir, dirname(e.file), '.joined', e.file.split('/').pop()!);
    const wrapped = e.expected.wrapped === true;
    e.expected = expectedFigures(wrapped && existsSync(joined) ? readFileSync(joined, 'utf8') : text, e.format);
    if (wrapped) e.expected.wrapped = true;
  }
  const entries: ManifestEntry[] = [...kept];
  const seen = new Set<string>(kept.map((e) => hash(texts.get(e)!)));
  for (const source of sources) {
    const gitDir = join(mirror, source.repo.replace('/', '+'), 'repo');
    const commit = git(gitDir, ['rev-parse', 'HEAD']).trim();
    const files = git(gitDir, ['ls-files', '--with-tree=HEAD', '--', ...source.paths]).split('\n').filter(Boolean).sort();
    const perFile: Block[][] = [];
    for (const path of files) {
      if (excluded[`${source.repo}:${path}`]) continue;
      const text = git(gitDir, ['show', `HEAD:${path}`]);
      if (source.kind === 'whole-file') {
        if (/expect$/.test(path)) continue;
        perFile.push([{ path, line: 1, text, format: formatOf(text) }]);
      } else perFile.push(source.kind === 'regress' ? regressBlocks(path, text) : source.kind === 'pgsp' ? pgspBlocks(path, text) : specLiterals(path, text));
    }
    const taken = new Map<CorpusFormat, number>();
    for (let round = 0; perFile.some((b) => b.length > round); round++) {
      for (const blocks of perFile) {
        const block = blocks[round];
        if (!block) continue;
        if ((taken.get(block.format) ?? 0) >= source.cap) continue;
        const h = hash(block.text);
        if (seen.has(h)) continue;
        seen.add(h);
        // One plan per file: the folder names the case (from-text/01-plan, 12-line-wrapped-plans/01-plan).
        const name = source.kind === 'whole-file' ? block.path.split('/').slice(-2).join('-') : block.path.replace(/^.*\//, '');
        const base = name.replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9_-]+/g, '-');
        const ext = block.format === 'text' ? 'txt' : block.format;
        const file = `${source.name}/${base}${source.kind === 'whole-file' ? '' : `.L${block.line}`}.${ext}`;
        const wrapped = source.kind === 'whole-file' ? wrappedFigures(gitDir, block.path) : undefined;
        const figures = wrapped ?? expectedFigures(block.text, block.format);
        mkdirSync(dirname(join(outDir, file)), { recursive: true });
        writeFileSync(join(outDir, file), block.text);
        entries.push({ file, repository: source.repo, path: block.path, commit, line: block.line, format: block.format, collected: 'script', external: true, expected: figures, ...(wrapped ? { note: "terminal-wrapped; figures from pev2's expected parse (the -expect file beside it)" } : source.note ? { note: source.note } : {}) });
        taken.set(block.format, (taken.get(block.format) ?? 0) + 1);
      }
    }
    console.log(`${source.repo}: ${[...taken].map(([f, n]) => `${n} ${f}`).join(', ')}`);
  }
  entries.sort((a, b) => a.file.localeCompare(b.file));
  writeFileSync(manifestPath, JSON.stringify(entries, null, 1) + '\n');
  console.log(`${entries.length} plans in the manifest`);
}

function hash(text: string): string {
  return createHash('sha256').update(text.trim()).digest('hex');
}

main();
