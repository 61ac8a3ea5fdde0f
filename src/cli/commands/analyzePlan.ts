// `dataeng analyze-plan FILE [--dialect postgres|sqlite|mysql|mariadb|duckdb] [--format json|text|xml|yaml] [--compare FILE] [--html OUT]`: the plan
// rules on a saved plan, a comparison of two plans of one statement, and the shareable HTML report of either.
import { basename, resolve } from 'node:path';
import { flatPlanOf, diffDoc, planDoc } from '../../app/planViewDocs';
import { useDocumentReaders } from '../../core/plan/documentReaders';
import { PlanParseError } from '../../core/plan/model';
import type { ParseHint } from '../../core/plan/parse';
import type { FlatPlan } from '../../core/plan/view';
import { buildPlanView } from '../../core/plan/view';
import { pgDocumentReaders } from '../../core/plan/pgDocuments';
import { diffPlans } from '../../core/plan/viewDiff';
import { isDialect } from '../../core/sql/dialect';
import { loadReportAssets, planReportHtml } from '../../host/planReport';
import { UsageError, exitCodes, formatHelp, parseArgs } from '../args';
import type { FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';

const spec: Record<string, FlagSpec> = {
  dialect: { type: 'string', description: 'postgres, sqlite, mysql or mariadb (the same reader), or duckdb (detected when not given)' },
  format: { type: 'string', description: 'json, text, xml or yaml (detected when not given)' },
  compare: { type: 'string', description: 'a second plan of the same statement (after a change); FILE is the before plan' },
  html: { type: 'string', description: 'also write a self-contained HTML report (the plan, or the comparison) to this file' },
};

const usage = 'dataeng analyze-plan FILE [--dialect postgres|sqlite|mysql|mariadb|duckdb] [--format json|text|xml|yaml] [--compare AFTER] [--html OUT.html]';
const summary =
  'Analyzes a saved query plan and prints JSON {"dialect", "planningMs", "executionMs", "nodes", "warnings", "findings"}.\n' +
  'Accepts PostgreSQL EXPLAIN output in all four formats (text, JSON, XML, YAML) as people paste it: psql output\n' +
  'with any border or line style, unaligned or CSV, whole sessions with prompts, terminal-wrapped lines, GUI exports;\n' +
  'and SQLite EXPLAIN QUERY PLAN (rows as JSON or as the shell prints them, or the sqlite3 shell tree).\n' +
  '"warnings" lists what was read with a loss (a field left out, wrapped lines joined, several plans in one result).\n' +
  'FILE may be - for standard input.\n' +
  'With --compare AFTER, compares two plans of one statement and prints JSON {"totals", "counts", "appeared",\n' +
  '"disappeared", "replaced"} instead. With --html OUT.html, also writes the plan view (or the comparison) as one\n' +
  'self-contained HTML file that opens offline: its own script and styles only, no network.\n' +
  'Exits 2 when an input is not a plan or on bad usage, 1 when a file cannot be read or written.';

async function readPlan(io: CliIo, file: string, hint: ParseHint, nameInWarnings = false): Promise<FlatPlan | { error: number }> {
  let text: string;
  try {
    text = await io.readFile(file === '-' ? '-' : resolve(io.cwd, file));
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : err instanceof Error ? err.message : String(err);
    io.stderr(`dataeng analyze-plan: cannot read ${file}: ${reason}\n`);
    return { error: exitCodes.notFound };
  }
  try {
    // In-line: a CLI run has no other work to keep responsive, and the bundled CLI has no worker file beside it.
    const plan = await flatPlanOf(text, { hint, offThread: { threshold: Infinity } });
    // With two plans, each warning says which file it is about.
    for (const w of plan.warnings) io.stderr(`dataeng analyze-plan: warning: ${nameInWarnings ? `${file === '-' ? 'standard input' : file}: ` : ''}${w}\n`);
    return plan;
  } catch (err) {
    if (err instanceof PlanParseError) {
      io.stderr(`dataeng analyze-plan: ${file === '-' ? 'standard input' : file} is not a plan: ${err.message}\n`);
      return { error: exitCodes.usage };
    }
    throw err;
  }
}

function titleOf(file: string): string {
  return file === '-' ? 'standard input' : basename(file);
}

/** The comparison as JSON: totals before → after, counts, and the nodes that appeared, disappeared or changed. */
function comparison(before: FlatPlan, after: FlatPlan): unknown {
  const d = diffPlans(buildPlanView(before), buildPlanView(after));
  const describe = (side: 'before' | 'after', index: number) => {
    const v = side === 'before' ? d.before : d.after;
    const n = v.nodes[index]!;
    return { id: n.id, node: n.label };
  };
  return {
    totals: d.totals,
    counts: d.counts,
    appeared: d.rows.filter((r) => r.status === 'added').map((r) => describe('after', r.after)),
    disappeared: d.rows.filter((r) => r.status === 'removed').map((r) => describe('before', r.before)),
    replaced: d.rows.filter((r) => r.status === 'replaced').map((r) => ({ before: describe('before', r.before), after: describe('after', r.after) })),
  };
}

export const analyzePlanCommand: Subcommand = {
  name: 'analyze-plan',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    if (positionals.length === 0) throw new UsageError('missing FILE (use - for standard input)');
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
    const hint: ParseHint = {};
    if (flags.dialect !== undefined) {
      // MariaDB's plans are read by the MySQL reader (one dialect, two servers).
      const named = flags.dialect === 'mariadb' ? 'mysql' : flags.dialect;
      if (!isDialect(named)) throw new UsageError(`--dialect must be postgres, sqlite, mysql, mariadb or duckdb, got ${JSON.stringify(flags.dialect)}`);
      hint.dialect = named;
    }
    if (flags.format !== undefined) {
      if (flags.format !== 'json' && flags.format !== 'text' && flags.format !== 'xml' && flags.format !== 'yaml') {
        throw new UsageError(`--format must be json, text, xml or yaml, got ${JSON.stringify(flags.format)}`);
      }
      hint.format = flags.format;
    }
    // Saved plans come in every format PostgreSQL writes, XML and YAML included (their readers load only here).
    useDocumentReaders(pgDocumentReaders);
    const compare = flags.compare as string | undefined;
    const html = flags.html as string | undefined;
    if (compare === '-' && positionals[0] === '-') throw new UsageError('only one of the two plans can come from standard input');
    const file = positionals[0]!;
    const plan = await readPlan(io, file, hint, compare !== undefined);
    if ('error' in plan) return plan.error;
    const after = compare !== undefined ? await readPlan(io, compare, hint, true) : undefined;
    if (after && 'error' in after) return after.error;

    if (html !== undefined) {
      const doc = after ? diffDoc(plan, after, { beforeTitle: titleOf(file), afterTitle: titleOf(compare!) }) : planDoc(plan, titleOf(file));
      const out = resolve(io.cwd, html);
      try {
        if (!io.writeFile) throw new Error('this environment cannot write files');
        await io.writeFile(out, planReportHtml(doc, loadReportAssets()));
      } catch (err) {
        io.stderr(`dataeng analyze-plan: cannot write ${html}: ${err instanceof Error ? err.message : String(err)}\n`);
        return exitCodes.notFound;
      }
    }
    const result = after
      ? comparison(plan, after)
      : { dialect: plan.dialect, planningMs: plan.planningMs ?? null, executionMs: plan.executionMs ?? null, nodes: plan.nodeCount, warnings: plan.warnings, findings: plan.findings };
    io.stdout(JSON.stringify(html !== undefined ? { ...(result as object), html: resolve(io.cwd, html) } : result, null, 2) + '\n');
    return exitCodes.ok;
  },
};
