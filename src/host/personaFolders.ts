// Which persona folders to read, in priority order, shared by the CLI and the extension.

import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { PersonaFolderSpec } from './personaReader';

export interface PersonaFolderContext {
  /** Workspace roots, in the editor's order (the CLI passes its working directory). */
  workspaceDirs: readonly string[];
  /** Whether workspace content may be trusted; untrusted workspaces load bundled personas only. */
  trusted: boolean;
  /** The `dataeng.personas.folders` setting; relative paths are resolved against the first workspace root. */
  settingFolders: readonly string[];
  /** The bundled `agents/` folder, or undefined when there is none. */
  bundledDir: string | undefined;
  home?: string;
}

/** Expands `~` and resolves a setting path against the first workspace root (or the home folder without one). */
export function resolveSettingFolder(path: string, base: string | undefined, home: string = homedir()): string {
  const trimmed = path.trim();
  if (trimmed === '~') return home;
  if (trimmed.startsWith('~/') || trimmed.startsWith('~\\')) return join(home, trimmed.slice(2));
  if (isAbsolute(trimmed)) return trimmed;
  return resolve(base ?? home, trimmed);
}

/** Workspace `.claude/agents` folders, then setting folders, then the bundled folder. */
export function personaFolderSpecs(ctx: PersonaFolderContext): PersonaFolderSpec[] {
  const specs: PersonaFolderSpec[] = [];
  if (ctx.trusted) {
    for (const dir of ctx.workspaceDirs) specs.push({ origin: 'workspace', dir: join(dir, '.claude', 'agents'), optional: true });
    for (const folder of ctx.settingFolders) {
      if (folder.trim() === '') continue;
      specs.push({ origin: 'setting', dir: resolveSettingFolder(folder, ctx.workspaceDirs[0], ctx.home) });
    }
  }
  if (ctx.bundledDir) specs.push({ origin: 'bundled', dir: ctx.bundledDir });
  return specs;
}
