// Entry point of the `dataeng` command. Each subcommand lives in src/cli/commands/<name>.ts.
import { readFile, writeFile } from 'node:fs/promises';
import { UsageError, exitCodes } from './args';
import type { CliIo, Subcommand } from './io';
import { analyzePlanCommand } from './commands/analyzePlan';
import { askCommand } from './commands/ask';
import { explainCommand } from './commands/explain';
import { locateCommand } from './commands/locate';
import { personasCommand } from './commands/personas';
import { reviewSchemaCommand } from './commands/reviewSchema';

// Subcommands register here, one line each.
const subcommands: Subcommand[] = [analyzePlanCommand, askCommand, explainCommand, locateCommand, personasCommand, reviewSchemaCommand];

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
  const sub = subcommands.find((s) => s.name === name);
  if (!sub) {
    io.stderr(`dataeng: unknown command '${name}'\n\n${help()}`);
    return exitCodes.usage;
  }
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
