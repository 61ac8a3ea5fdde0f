// Resolves persona files from several folders into one set of uniquely named personas, in priority order.

import { parsePersona } from './parse';
import type { Persona, PersonaError, PersonaOrigin } from './types';

/** One file as the reader found it: its text, or why it could not be read. */
export type PersonaFileInput = { file: string; text: string } | { file: string; error: string };

/** One folder of persona files. A folder that could not be listed is reported as a single `{file: dir, error}` entry. */
export interface PersonaFolderInput {
  origin: PersonaOrigin;
  dir: string;
  files: PersonaFileInput[];
}

export interface PersonaSet {
  /** In priority order: earlier folders first, then file name order within a folder. */
  personas: Persona[];
  errors: PersonaError[];
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/**
 * Sources come in priority order (workspace, setting folders, bundled). Within a folder files are taken in file name
 * order (by UTF-16 code units, so the order does not depend on a locale). The first file to claim a name keeps it;
 * a later claim is an error that names the winner. A broken file never stops the others from loading.
 */
export function resolvePersonas(sources: readonly PersonaFolderInput[]): PersonaSet {
  const personas: Persona[] = [];
  const errors: PersonaError[] = [];
  const owners = new Map<string, Persona>();
  for (const source of sources) {
    const files = [...source.files].sort((a, b) => {
      const x = baseName(a.file);
      const y = baseName(b.file);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    for (const input of files) {
      if ('error' in input) {
        errors.push({ file: input.file, message: input.error });
        continue;
      }
      const parsed = parsePersona(input.text, { file: input.file, origin: source.origin });
      if (!parsed.ok) {
        errors.push(parsed.error);
        continue;
      }
      const owner = owners.get(parsed.persona.name);
      if (owner) {
        errors.push({
          file: input.file,
          message: `name '${parsed.persona.name}' is already defined by ${owner.source.file}, which takes priority (${owner.source.origin})`,
        });
        continue;
      }
      owners.set(parsed.persona.name, parsed.persona);
      personas.push(parsed.persona);
    }
  }
  return { personas, errors };
}

/** The first persona whose name matches one of the wanted names, in order; else the first persona; else undefined. */
export function choosePersona(personas: readonly Persona[], wanted: ReadonlyArray<string | undefined>): Persona | undefined {
  for (const name of wanted) {
    const hit = name ? personas.find((p) => p.name === name) : undefined;
    if (hit) return hit;
  }
  return personas[0];
}
