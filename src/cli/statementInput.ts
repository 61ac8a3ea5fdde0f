// Reading the statement a subcommand works on: a quoted argument, or the statement at an offset in a file. One reader
// for every subcommand that takes SQL (explain, whatif, advise-indexes, compare).
import { resolve } from 'node:path';
import type { Dialect } from '../core/sql/dialect';
import { statementAt } from '../core/sql/locate';
import { errorMessage } from '../db/errors';
import { UsageError, intFlag } from './args';
import type { CliIo } from './io';

/** The statement at `offset` in `file` (the whole file without an offset); `names` are the flags as the user wrote them. */
export async function statementFromFile(io: CliIo, file: string, offsetFlag: unknown, dialect: Dialect, names: { file: string; offset: string } = { file: 'file', offset: 'offset' }): Promise<string> {
  const offset = intFlag(offsetFlag, names.offset);
  let text: string;
  try {
    text = await io.readFile(file === '-' ? '-' : resolve(io.cwd, file));
  } catch (err) {
    throw new UsageError(`cannot read ${JSON.stringify(file)}: ${errorMessage(err)}`);
  }
  if (offset === undefined) return text;
  if (offset < 0 || offset > text.length) throw new UsageError(`--${names.offset} ${offset} is outside the file (0–${text.length})`);
  const statement = statementAt(text, offset, dialect);
  if (!statement) throw new UsageError(`there is no statement at --${names.offset} ${offset} in ${file}`);
  return statement.text;
}

/** `SQL` as the one positional argument, or `--file F [--offset N]`. */
export async function readStatement(flags: Record<string, unknown>, positionals: readonly string[], io: CliIo, dialect: Dialect): Promise<string> {
  const file = flags.file as string | undefined;
  if (file !== undefined) {
    if (positionals.length) throw new UsageError('give the SQL either as an argument or with --file, not both');
    return statementFromFile(io, file, flags.offset, dialect);
  }
  if (flags.offset !== undefined) throw new UsageError('--offset needs --file');
  if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give the SQL as one quoted argument' : 'no SQL given (an argument, or --file F)');
  return positionals[0]!;
}
