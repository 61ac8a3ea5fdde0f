// `dataeng locate FILE --offset N [--end M] [--dialect postgres|sqlite|mysql|duckdb]`: the editor's statement locator on a file.

import { resolve } from 'node:path';
import { inferDialect, isDialect } from '../../core/sql/dialect';
import type { Dialect } from '../../core/sql/dialect';
import { statementAt } from '../../core/sql/locate';
import { UsageError, exitCodes, formatHelp, intFlag, parseArgs } from '../args';
import type { FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';

const spec: Record<string, FlagSpec> = {
  offset: { type: 'string', description: 'cursor position: UTF-16 code units from the start of the file (as VS Code counts)' },
  end: { type: 'string', description: 'end of a selection starting at --offset; a non-empty selection is taken as is' },
  dialect: { type: 'string', description: 'postgres, sqlite, mysql or duckdb (default: sqlite for .sqlite/.sqlite3/.db3/.db files, duckdb for .duckdb, else postgres)' },
};

const usage = 'dataeng locate FILE --offset N [--end M] [--dialect postgres|sqlite|mysql|duckdb]';
const summary =
  'Prints the statement at the offset as JSON {"start", "end", "text"} (UTF-16 offsets; text without the trailing ;).\n' +
  'FILE may be - for standard input. A leading byte order mark is not counted, as in the editor.\n' +
  'Exits 1 when there is no statement at the offset, 2 on bad usage.';

function offsetFlag(value: unknown, name: string, length: number): number | undefined {
  const n = intFlag(value, name);
  if (n === undefined) return undefined;
  if (n < 0) throw new UsageError(`--${name} must not be negative, got ${n}`);
  if (n > length) throw new UsageError(`--${name} ${n} is beyond the end of the text (${length} UTF-16 code units)`);
  return n;
}

async function readText(file: string, io: CliIo): Promise<string> {
  try {
    return await io.readFile(file === '-' ? '-' : resolve(io.cwd, file));
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : '';
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : err instanceof Error ? err.message : String(err);
    throw new UsageError(`cannot read ${file}: ${reason}`);
  }
}

export const locateCommand: Subcommand = {
  name: 'locate',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    if (positionals.length === 0) throw new UsageError('missing FILE');
    if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])}`);
    const file = positionals[0]!;
    if (flags.offset === undefined) throw new UsageError('missing --offset N');
    const dialectFlag = flags.dialect;
    if (dialectFlag !== undefined && !isDialect(dialectFlag)) {
      throw new UsageError(`--dialect must be postgres, sqlite, mysql or duckdb, got ${JSON.stringify(dialectFlag)}`);
    }
    const dialect: Dialect = inferDialect({ ...(dialectFlag ? { explicit: dialectFlag } : {}), fileName: file });

    let text = await readText(file, io);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const offset = offsetFlag(flags.offset, 'offset', text.length)!;
    const end = offsetFlag(flags.end, 'end', text.length);

    const statement = statementAt(text, end === undefined ? offset : { start: offset, end }, dialect);
    if (!statement) {
      io.stderr(`dataeng locate: no statement at offset ${offset} of ${file} (only whitespace or comments there)\n`);
      return exitCodes.notFound;
    }
    io.stdout(`${JSON.stringify({ start: statement.start, end: statement.end, text: statement.text })}\n`);
    return exitCodes.ok;
  },
};
