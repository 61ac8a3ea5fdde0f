// The DuckDB sandbox's flags, shared by every subcommand that opens a connection: the workspace is the current
// directory plus each --allow-dir; network access (httpfs) only with --allow-network.
import { resolve } from 'node:path';
import type { FlagSpec } from './args';

export const duckdbFlagSpec: Record<string, FlagSpec> = {
  'allow-dir': { type: 'list', description: 'DuckDB: a folder it may read besides the current directory (repeatable)' },
  'allow-network': { type: 'boolean', description: 'DuckDB: allow reading over the network (httpfs, if installed); off by default' },
};

export function duckdbOpenOptions(flags: Record<string, unknown>, cwd: string): { allowedDirs: string[]; allowNetwork: boolean } {
  const extra = (flags['allow-dir'] as string[] | undefined) ?? [];
  return { allowedDirs: [cwd, ...extra.map((d) => resolve(cwd, d))], allowNetwork: flags['allow-network'] === true };
}
