// The persona model shared by the parser, the registry, the prompt builder, the CLI and the extension.

/** Where a persona file came from, in priority order: workspace beats setting beats bundled. `cli` is `--dir`. */
export type PersonaOrigin = 'workspace' | 'setting' | 'bundled' | 'cli';

export interface PersonaSource {
  /** Absolute path (or the path the caller gave) of the persona file. */
  file: string;
  origin: PersonaOrigin;
}

export interface Persona {
  /** Lowercase slug such as `data-engineer`; unique across all loaded personas. */
  name: string;
  /** One-line or multi-line summary shown in pickers; literal `\n` sequences in plain scalars become newlines. */
  description: string;
  /** Tool names normalized from a comma string, a list, or a map with `allowed`; the raw value stays in `metadata.tools`. */
  tools: string[];
  color?: string;
  model?: string;
  /** Every front-matter key except name, description, color and model (tools is kept raw here). */
  metadata: Record<string, unknown>;
  /** The Markdown after the front matter: the system prompt. Line endings are LF; leading blank lines are dropped. */
  body: string;
  source: PersonaSource;
}

/** A file that could not become a persona, with the reason in words a user can act on. */
export interface PersonaError {
  file: string;
  message: string;
}

export type ParsePersonaResult = { ok: true; persona: Persona } | { ok: false; error: PersonaError };
