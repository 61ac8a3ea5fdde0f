// `dataeng analyze-plan`: through main() with a capturing CliIo, and as the real built command.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/io';
import { main } from '../../../src/cli/main';

const root = join(__dirname, '..', '..', '..');
const fixtures = join(root, 'test/fixtures/plans');

function capture(stdin = ''): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(t: string) {
      io.out += t;
    },
    stderr(t: string) {
      io.err += t;
    },
    readFile: (path: string) => (path === '-' ? Promise.resolve(stdin) : readFile(path, 'utf8')),
    env: {},
    cwd: fixtures,
  };
  return io;
}

interface Output {
  dialect: string;
  planningMs: number | null;
  executionMs: number | null;
  nodes: number;
  warnings: string[];
  findings: { rule: string; severity: string; node: string }[];
}

describe('dataeng analyze-plan via main()', () => {
  it('prints dialect, timings, node count and sorted findings for a PostgreSQL text plan', async () => {
    const io = capture();
    expect(await main(['analyze-plan', 'postgres/trigger-fk.analyze-buffers.txt'], io)).toBe(0);
    const out = JSON.parse(io.out) as Output;
    expect(out).toMatchObject({ dialect: 'postgres', planningMs: 0.076, executionMs: 693.187, nodes: 2 });
    expect(out.findings[0]).toMatchObject({ rule: 'trigger-time', severity: 'critical', node: '#1' });
  });

  it('reads XML, YAML and a terminal-wrapped psql session, and prints what it read with a loss', async () => {
    for (const [file, format] of [['corpus/live-pg15/aligned/four-way-join.xml', 'xml'], ['corpus/live-pg15/unicode-border2/parallel-append.yaml', 'yaml']] as const) {
      const io = capture();
      expect(await main(['analyze-plan', file], io)).toBe(0);
      expect(JSON.parse(io.out) as Output, file).toMatchObject({ dialect: 'postgres', warnings: [] });
      const forced = capture();
      expect(await main(['analyze-plan', file, '--format', format], forced)).toBe(0);
      expect(io.err).toBe('');
    }
    const io = capture();
    const wrapped = 'corpus/live-pg15/wrapped-80/hash-join-top-cities.txt';
    expect(await main(['analyze-plan', wrapped], io)).toBe(0);
    const out = JSON.parse(io.out) as Output;
    const manifest = JSON.parse(readFileSync(join(fixtures, 'corpus/manifest.json'), 'utf8')) as { file: string; expected: { nodes: number } }[];
    expect(out.nodes).toBe(manifest.find((e) => `corpus/${e.file}` === wrapped)!.expected.nodes);
    expect(out.warnings).toEqual([expect.stringMatching(/^the terminal had wrapped \d+ lines of this plan; they were joined back before reading it$/)]);
    expect(io.err).toBe(`dataeng analyze-plan: warning: ${out.warnings[0]}\n`);
  });

  it('reads standard input for -, and honours --dialect and --format', async () => {
    const tree = readFileSync(join(fixtures, 'sqlite/auto-index.tree.txt'), 'utf8');
    const io = capture(tree);
    expect(await main(['analyze-plan', '-', '--dialect', 'sqlite', '--format', 'text'], io)).toBe(0);
    const out = JSON.parse(io.out) as Output;
    expect(out).toMatchObject({ dialect: 'sqlite', planningMs: null, executionMs: null, nodes: 2 });
    expect(out.findings.map((f) => f.rule)).toContain('sqlite-auto-index');
    const psql = capture();
    expect(await main(['analyze-plan', 'postgres/seq-scan-filter.analyze-buffers.psql-json.txt', '--format', 'json'], psql)).toBe(0);
    expect((JSON.parse(psql.out) as Output).findings.map((f) => f.rule)).toContain('seq-scan-filter');
  });

  it('exits 2 with a clear message when the input is not a plan', async () => {
    const io = capture('select * from orders');
    expect(await main(['analyze-plan', '-'], io)).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toMatch(/^dataeng analyze-plan: standard input is not a plan: expected PostgreSQL EXPLAIN output \(text, JSON, XML or YAML\) or SQLite EXPLAIN QUERY PLAN; line 1 looks like a SQL statement/);
  });

  it('exits 2 on bad usage and 1 on a missing file', async () => {
    for (const argv of [['analyze-plan'], ['analyze-plan', 'a', 'b'], ['analyze-plan', 'x', '--dialect', 'oracle'], ['analyze-plan', 'x', '--format', 'csv'], ['analyze-plan', 'x', '--nope']]) {
      const io = capture();
      expect(await main(argv, io)).toBe(2);
      expect(io.err).toMatch(/^dataeng analyze-plan: /);
    }
    const io = capture();
    expect(await main(['analyze-plan', 'no/such/plan.json'], io)).toBe(1);
    expect(io.err).toMatch(/cannot read no\/such\/plan\.json: no such file/);
  });

  it('prints help', async () => {
    const io = capture();
    expect(await main(['analyze-plan', '--help'], io)).toBe(0);
    expect(io.out).toMatch(/^usage: dataeng analyze-plan FILE \[--dialect postgres\|sqlite\|mysql\|mariadb\|duckdb\] \[--format json\|text\|xml\|yaml\]/);
  });
});

describe('dataeng analyze-plan as the built command', () => {
  beforeAll(() => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: root, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
  });

  const run = (args: string[], input?: string) => spawnSync(process.execPath, [join(root, 'bin/dataeng.js'), 'analyze-plan', ...args], { cwd: root, input, encoding: 'utf8' });

  it('analyzes a JSON plan file', () => {
    const r = run(['test/fixtures/plans/postgres/sort-spill.analyze-buffers.json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Output;
    expect(out.nodes).toBe(3);
    expect(out.findings.find((f) => f.rule === 'sort-spill')).toMatchObject({ node: '#2' });
  });

  it('analyzes SQLite rows from standard input', () => {
    const r = run(['-'], readFileSync(join(fixtures, 'sqlite/correlated-subquery.rows.json'), 'utf8'));
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as Output).findings[0]!.rule).toMatch(/^sqlite-/);
  });

  it('exits 2 on input that is not a plan', () => {
    const r = run(['-'], 'hello world');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/is not a plan: expected PostgreSQL EXPLAIN output .* line 1 looks like "hello world"/);
  });
});
