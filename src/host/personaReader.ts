// Reads persona folders from disk for the CLI and the extension, then hands the texts to the pure core.

import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { resolvePersonas } from '../core/persona/registry';
import type { PersonaFileInput, PersonaFolderInput, PersonaSet } from '../core/persona/registry';
import type { PersonaOrigin } from '../core/persona/types';

/** Persona files are prompts, not data dumps; anything bigger is almost certainly the wrong file. */
export const maxPersonaBytes = 1024 * 1024;

export interface PersonaFolderSpec {
  origin: PersonaOrigin;
  dir: string;
  /** A missing optional folder (the default workspace `.claude/agents`) is skipped silently; others are an error. */
  optional?: boolean;
}

export interface ReadOptions {
  maxBytes?: number;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function reason(err: unknown): string {
  const code = errnoCode(err);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'it does not exist';
  if (code === 'EISDIR') return 'it is a folder';
  return err instanceof Error ? err.message : String(err);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

async function readOne(file: string, maxBytes: number): Promise<PersonaFileInput> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { file, error: 'cannot read the file: it is not a regular file' };
    if (info.size > maxBytes) {
      return { file, error: `the file is ${info.size} bytes, more than the ${maxBytes}-byte limit for persona files` };
    }
    const bytes = await readFile(file);
    try {
      return { file, text: utf8.decode(bytes) };
    } catch {
      return { file, error: 'the file is not valid UTF-8 text' };
    }
  } catch (err) {
    return { file, error: `cannot read the file: ${reason(err)}` };
  }
}

/** Lists `*.md` files directly in the folder (not recursive) and reads each one. */
export async function readPersonaFolder(spec: PersonaFolderSpec, options: ReadOptions = {}): Promise<PersonaFolderInput | undefined> {
  const maxBytes = options.maxBytes ?? maxPersonaBytes;
  let names: string[];
  try {
    const entries = await readdir(spec.dir, { withFileTypes: true });
    // Symbolic links are listed too; readOne follows them and rejects anything that is not a file.
    names = entries.filter((e) => /\.md$/i.test(e.name) && (e.isFile() || e.isSymbolicLink())).map((e) => e.name);
  } catch (err) {
    const code = errnoCode(err);
    if (spec.optional && code === 'ENOENT') return undefined;
    const message =
      code === 'ENOENT'
        ? 'the persona folder does not exist'
        : code === 'ENOTDIR'
          ? 'the persona folder is not a folder'
          : `cannot list the persona folder: ${reason(err)}`;
    return { origin: spec.origin, dir: spec.dir, files: [{ file: spec.dir, error: message }] };
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const files = await Promise.all(names.map((name) => readOne(join(spec.dir, name), maxBytes)));
  return { origin: spec.origin, dir: spec.dir, files };
}

/** Reads every folder in priority order and resolves the personas; never throws for bad files or folders. */
export async function loadPersonas(specs: readonly PersonaFolderSpec[], options: ReadOptions = {}): Promise<PersonaSet> {
  const folders = await Promise.all(specs.map((spec) => readPersonaFolder(spec, options)));
  return resolvePersonas(folders.filter((f): f is PersonaFolderInput => f !== undefined));
}
