// Turns the text of one persona file into a Persona, or into one error that names the file and every problem found.
//
// Strict YAML (gray-matter's js-yaml engine) is tried first; when it rejects the front matter, which it does for most
// real Claude Code agent files, the lenient line-based reader takes over. Both paths feed the same validation.

import matter from 'gray-matter';
import { splitFrontMatter } from './frontMatter';
import { parseLenientFrontMatter } from './lenientYaml';
import type { FrontMatterLine } from './lenientYaml';
import type { ParsePersonaResult, Persona, PersonaSource } from './types';

/**
 * Persona names are lowercase slugs, as Claude Code asks for ("lowercase letters and hyphens"); we also allow digits
 * and `_`. Upper case is rejected rather than folded, because the name is what settings and the picker store.
 */
export const personaNamePattern = /^[a-z0-9][a-z0-9_-]*$/;

const reservedKeys = new Set(['name', 'description', 'color', 'model']);

// gray-matter can evaluate `---js` front matter as code. Our splitter never hands it such a block, and these engines
// make sure that even a future change here cannot turn a persona file into code execution.
const refuse = {
  parse: (): never => {
    throw new Error('only YAML front matter is accepted');
  },
  stringify: (): never => {
    throw new Error('only YAML front matter is accepted');
  },
};
const matterOptions = { language: 'yaml', engines: { js: refuse, javascript: refuse, coffee: refuse, coffeescript: refuse, json: refuse } };

export function parsePersona(text: string, source: PersonaSource): ParsePersonaResult {
  try {
    return parseUnguarded(text, source);
  } catch (err) {
    // Nothing below is expected to throw; a bug must still surface as one broken file, not a failed load.
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, error: { file: source.file, message: `internal error while reading the persona: ${reason}` } };
  }
}

function parseUnguarded(raw: string, source: PersonaSource): ParsePersonaResult {
  const failure = (message: string): ParsePersonaResult => ({ ok: false, error: { file: source.file, message } });
  const text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (text.trim() === '') return failure('the file is empty');

  const split = splitFrontMatter(text);
  if (!split.ok) return failure(split.message);

  const data = readFrontMatter(split.frontMatter, split.lines);
  if (!data.ok) return failure(data.message);

  const problems: string[] = [];
  const name = scalarText(data.value.name);
  if (name === undefined) problems.push('"name" must be text, not a list or map');
  else if (name === '') problems.push('the front matter has no "name" (add a line such as "name: my-persona")');
  else if (!personaNamePattern.test(name)) {
    const suggestion = slugify(name);
    problems.push(
      `the name ${JSON.stringify(name)} is not a valid persona name: use lowercase letters, digits, "-" and "_", starting with a letter or digit` +
        (suggestion && suggestion.length <= 64 ? ` (for example ${JSON.stringify(suggestion)})` : ''),
    );
  }

  let description = scalarText(data.value.description);
  if (description === undefined) problems.push('"description" must be text, not a list or map');
  else if (isPlainScalar(split.lines, 'description')) {
    // Claude Code agent files often carry `\n` written out inside a plain scalar, meaning a line break.
    description = description.replace(/\\n/g, '\n');
  }

  const tools = normalizeTools(data.value.tools);
  if (!tools.ok) problems.push(tools.message);

  const optional: Partial<Pick<Persona, 'color' | 'model'>> = {};
  for (const key of ['color', 'model'] as const) {
    const value = scalarText(data.value[key]);
    if (value === undefined) problems.push(`"${key}" must be text, not a list or map`);
    else if (value !== '') optional[key] = value;
  }

  if (split.body.trim() === '') problems.push('the body (the system prompt after the front matter) is empty');

  if (problems.length) return failure(problems.join('; '));

  const metadata = Object.fromEntries(Object.entries(data.value).filter(([key]) => !reservedKeys.has(key)));
  const persona: Persona = {
    name: name!,
    description: description ?? '',
    tools: tools.ok ? tools.tools : [],
    ...optional,
    metadata,
    body: split.body,
    source: { file: source.file, origin: source.origin },
  };
  return { ok: true, persona };
}

type ReadData = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

function readFrontMatter(frontMatter: string, lines: readonly FrontMatterLine[]): ReadData {
  let strictProblem: string | undefined;
  try {
    // Handing gray-matter a block we delimited ourselves keeps its idea of the front matter identical to ours.
    const file = matter(`---\n${frontMatter}\n---\n`, matterOptions);
    if (file.matter === `\n${frontMatter}` || frontMatter.trim() === '') {
      if (isRecord(file.data)) return { ok: true, value: file.data };
      strictProblem = 'it is not a set of "key: value" lines';
    }
  } catch (err) {
    strictProblem = describeYamlError(err, lines[0]?.no ?? 2);
  }
  const lenient = parseLenientFrontMatter(lines);
  if (lenient.ok) return { ok: true, value: lenient.data };
  const strict = strictProblem ? ` (strict YAML: ${strictProblem})` : '';
  return { ok: false, message: `the front matter cannot be read: line ${lenient.line}: ${lenient.message}${strict}` };
}

function describeYamlError(err: unknown, firstLine: number): string {
  if (isRecord(err)) {
    const reason = typeof err.reason === 'string' ? err.reason : undefined;
    const mark = isRecord(err.mark) && typeof err.mark.line === 'number' ? err.mark.line : undefined;
    if (reason) return mark === undefined ? reason : `${reason} at line ${firstLine + mark - 1}`;
    if (typeof err.message === 'string') return err.message.split('\n')[0] ?? err.message;
  }
  return String(err);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Text for scalars (numbers and booleans too), '' for a missing key, undefined for lists and maps. */
function scalarText(value: unknown): string | undefined {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return undefined;
}

/** True when `key` is written as a plain (unquoted, non-block) scalar, the only style where `\n` is still literal. */
function isPlainScalar(lines: readonly FrontMatterLine[], key: string): boolean {
  const line = lines.find((l) => l.text.startsWith(`${key}:`));
  if (!line) return false;
  const value = line.text.slice(key.length + 1).trim();
  return !/^["'|>]/.test(value);
}

type Tools = { ok: true; tools: string[] } | { ok: false; message: string };

/** Claude Code files write tools as `Read, Grep`, as a YAML list, or as a map with `allowed`/`forbidden`. */
export function normalizeTools(value: unknown): Tools {
  if (value === undefined || value === null || value === '') return { ok: true, tools: [] };
  if (typeof value === 'string') return { ok: true, tools: splitTools(value) };
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string')) return { ok: true, tools: value.flatMap((v: string) => splitTools(v)) };
    return { ok: false, message: '"tools" must list tool names as text' };
  }
  if (isRecord(value) && 'allowed' in value) {
    const inner = normalizeTools(value.allowed);
    return inner.ok ? inner : { ok: false, message: '"tools.allowed" must be a list of tool names or a comma-separated string' };
  }
  return { ok: false, message: '"tools" must be a comma-separated string, a list, or a map with "allowed"' };
}

function splitTools(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|-+$/g, '');
}
