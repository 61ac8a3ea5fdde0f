// Entry point of the `dataeng` command. Each subcommand lives in src/cli/commands/<name>.ts and is loaded only when it
// runs: `dataeng --help` loads none of them, `dataeng analyze-plan` loads the plan code and nothing of the database
// drivers or the model client (those live in dist/vendor/ and load on first use as well).
import { readFile, writeFile } from 'node:fs/promises';
import { UsageError, exitCodes } from './args';
import type { CliIo, Subcommand } from './io';

interface Entry {
  name: string;
  /** One line for `dataeng --help`. */
  summary: string;
  load: () => Promise<Subcommand>;
}

// Subcommands register here, one entry each.
const subcommands: Entry[] = [
  { name: 'advise-indexes', summary: 'find and test index candidates for a query (deterministic, verified with the what-if) and print JSON', load: async () => (await import('./commands/adviseIndexes')).adviseIndexesCommand },
  { name: 'analyze-plan', summary: 'find the problems in a saved EXPLAIN plan (PostgreSQL or SQLite), compare two, write an HTML report', load: async () => (await import('./commands/analyzePlan')).analyzePlanCommand },
  { name: 'ask', summary: 'ask a persona (Claude) to explain or optimize a statement, with the real plan as evidence', load: async () => (await import('./commands/ask')).askCommand },
  { name: 'compare', summary: 'check that a rewrite returns the same rows as the original, on your data, and print the verdict as JSON', load: async () => (await import('./commands/compare')).compareCommand },
  { name: 'explain', summary: 'explain (or, with --analyze, run and roll back) one statement safely and print the plan as JSON', load: async () => (await import('./commands/explain')).explainCommand },
  { name: 'locate', summary: 'print the SQL statement at an offset of a file', load: async () => (await import('./commands/locate')).locateCommand },
  { name: 'mcp', summary: 'serve the tools (explain, describe, review, what-if, compare) to MCP clients such as Claude Code, over stdio', load: async () => (await import('./commands/mcp')).mcpCommand },
  { name: 'personas', summary: 'list the personas that load, and why others do not', load: async () => (await import('./commands/personas')).personasCommand },
  { name: 'review-schema', summary: 'review a schema (keys, indexes, statistics, types) and print findings with fixes as JSON', load: async () => (await import('./commands/reviewSchema')).reviewSchemaCommand },
  { name: 'whatif', summary: 'test CREATE INDEX statements on a query (HypoPG, a rolled-back index, or a SQLite copy) and print the costs', load: async () => (await import('./commands/whatif')).whatifCommand },
];

function help(): string {
  const width = Math.max(...subcommands.map((s) => s.name.length), 8);
  return [
    'usage: dataeng <command> [options]',
    '',
    'Data Engineer Assistant on the command line: locate statements, explain and analyze plans, review schemas, ask Claude.',
    '',
    'commands:',
    ...subcommands.map((s) => `  ${s.name.padEnd(width)}  ${s.summary}`),
    '',
    'Run `dataeng <command> --help` for the options of one command.',
    '',
  ].join('\n');
}

export function nodeIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: async (path) => {
      if (path === '-') {
        const chunks: Buffer[] = [];
        for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      }
      return readFile(path, 'utf8');
    },
    writeFile: (path, text) => writeFile(path, text, 'utf8'),
    env: process.env,
    cwd: process.cwd(),
  };
}

export async function main(argv: string[], io: CliIo = nodeIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help());
    return name ? exitCodes.ok : exitCodes.usage;
  }
  const entry = subcommands.find((s) => s.name === name);
  if (!entry) {
    io.stderr(`dataeng: unknown command '${name}'\n\n${help()}`);
    return exitCodes.usage;
  }
  const sub = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(sub.help());
    return exitCodes.ok;
  }
  try {
    return await sub.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`dataeng ${name}: ${err.message}\nRun \`dataeng ${name} --help\` for usage.\n`);
      return exitCodes.usage;
    }
    throw err;
  }
}

// Run directly (`node dist/cli.js …`, as VS Code's MCP provider starts `dataeng mcp` from the installed extension, which
// ships no bin/ folder); bin/dataeng.js requires this file and calls main itself.
if (typeof require !== 'undefined' && require.main === module) {
  void main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`dataeng: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}

