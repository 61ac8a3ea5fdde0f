// A small, strict argument parser: unknown flags and missing values are usage errors (exit 2).

export class UsageError extends Error {}

/** Exit codes shared by every subcommand. */
export const exitCodes = {
  ok: 0,
  notFound: 1,
  usage: 2,
  refused: 3,
  connection: 4,
} as const;

export interface FlagSpec {
  /** `string` takes a value, `boolean` does not, `list` takes a value and may repeat. */
  type: 'string' | 'boolean' | 'list';
  description: string;
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const flag = spec[name];
    if (!flag) throw new UsageError(`unknown option --${name}`);
    if (flag.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      if (value === undefined || (value.startsWith('--') && value.length > 2)) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    if (flag.type === 'list') {
      const list = (flags[name] as string[] | undefined) ?? [];
      list.push(value);
      flags[name] = list;
    } else {
      flags[name] = value;
    }
  }
  return { flags, positionals };
}

export function formatHelp(usage: string, summary: string, spec: Record<string, FlagSpec>): string {
  const lines = [`usage: ${usage}`, '', summary, ''];
  const names = Object.keys(spec);
  if (names.length) {
    lines.push('options:');
    const width = Math.max(...names.map((n) => n.length + (spec[n]!.type === 'boolean' ? 2 : 8)));
    for (const name of names) {
      const f = spec[name]!;
      const left = `--${name}${f.type === 'boolean' ? '' : ' VALUE'}`;
      lines.push(`  ${left.padEnd(width + 2)}  ${f.description}${f.type === 'list' ? ' (repeatable)' : ''}`);
    }
  }
  lines.push(`  ${'--help'.padEnd(2)}  show this help`);
  return lines.join('\n') + '\n';
}

/** Reads an integer flag, rejecting anything that is not one. */
export function intFlag(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be an integer, got ${JSON.stringify(value)}`);
  return Number(value);
}
