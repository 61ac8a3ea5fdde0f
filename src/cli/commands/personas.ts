// `dataeng personas [--dir DIR]...`: lists the personas the extension would load, and every file it could not load.

import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadPersonas } from '../../host/personaReader';
import type { PersonaFolderSpec } from '../../host/personaReader';
import { personaFolderSpecs } from '../../host/personaFolders';
import { UsageError, exitCodes, formatHelp, parseArgs } from '../args';
import type { FlagSpec } from '../args';
import type { CliIo, Subcommand } from '../io';

const spec: Record<string, FlagSpec> = {
  dir: { type: 'list', description: 'read persona files (*.md) from this folder only, in the order given; nothing bundled' },
};

const usage = 'dataeng personas [--dir DIR]...';
const summary =
  'Lists personas as JSON: {"personas": [...], "errors": [...]}. Without --dir it reads .claude/agents in the current\n' +
  'folder, then the bundled agents/. Exits 0 when at least one persona loaded, 1 when none did.';

/** The bundled `agents/` folder: next to dist/ in the built CLI, at the repository root when run from sources. */
export function bundledAgentsDir(): string | undefined {
  const candidates = [join(__dirname, '..', 'agents'), join(__dirname, '..', '..', '..', 'agents')];
  return candidates.find((dir) => existsSync(dir));
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export const personasCommand: Subcommand = {
  name: 'personas',
  help: () => formatHelp(usage, summary, spec),
  async run(argv: string[], io: CliIo): Promise<number> {
    const { flags, positionals } = parseArgs(argv, spec);
    if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
    const dirs = (flags.dir as string[] | undefined) ?? [];
    let specs: PersonaFolderSpec[];
    if (dirs.length) {
      specs = dirs.map((d) => {
        const dir = resolve(io.cwd, d);
        if (!isFolder(dir)) throw new UsageError(`--dir ${d}: no such folder`);
        return { origin: 'cli', dir };
      });
    } else {
      specs = personaFolderSpecs({ workspaceDirs: [io.cwd], trusted: true, settingFolders: [], bundledDir: bundledAgentsDir() ?? join(__dirname, '..', 'agents') });
    }
    const result = await loadPersonas(specs);
    const out = {
      personas: result.personas.map((p) => ({
        name: p.name,
        description: p.description,
        source: p.source.origin,
        file: p.source.file,
        tools: p.tools,
        bodyChars: p.body.length,
      })),
      errors: result.errors,
    };
    io.stdout(`${JSON.stringify(out, null, 2)}\n`);
    return result.personas.length > 0 ? exitCodes.ok : exitCodes.notFound;
  },
};
