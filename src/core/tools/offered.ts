// Which of our tools a persona is offered, from its Claude Code front matter. Pure: a persona's tool lists in, our tool
// names out, with what was left out and why (the caller logs it once).
import { agentToolNames, databaseToolNames, readToolNames, type ToolName } from './types';

/** Claude Code tool names and the tools of ours that stand for them. */
export const claudeToolMap: Readonly<Record<string, readonly ToolName[]>> = {
  Read: ['read_file'],
  Glob: ['list_files'],
  LS: ['list_files'],
  Grep: ['grep'],
  Edit: ['propose_edit'],
  MultiEdit: ['propose_edit'],
  Write: ['propose_edit'],
  TodoWrite: ['todo_write'],
};

/**
 * Claude Code tools this extension never offers, whatever a persona allows. Bash would run arbitrary commands on the
 * user's machine (our database access goes only through the safe path: one statement, read-only or rolled back, with
 * consent); WebFetch and WebSearch would send workspace or database text to third parties and let fetched pages
 * steer the model; NotebookEdit writes files without the diff-and-apply step every edit here takes; Task starts
 * sub-agents whose tool use the user never sees.
 */
export const neverOfferedTools: readonly string[] = ['Bash', 'WebFetch', 'WebSearch', 'NotebookEdit', 'Task'];

export interface PersonaToolLists {
  /** `Persona.tools`: the allowed names, normalized from `Read, Grep`, a list, or `{allowed: […]}`. */
  tools: readonly string[];
  /** `Persona.metadata`: its raw `tools` value says whether the field was there at all and holds `forbidden`. */
  metadata: Readonly<Record<string, unknown>>;
}

export interface OfferedTools {
  /** In the order of `agentToolNames`, so the tool definitions (and their cache breakpoint) stay stable. */
  offered: ToolName[];
  /** Names the persona allows that are never offered (Bash, WebFetch, …): logged once by the face. */
  neverOffered: string[];
  /** Names the persona lists that are neither ours nor Claude Code's mapped tools. */
  unknown: string[];
}

const agentNames: ReadonlySet<string> = new Set(agentToolNames);

function namesOf(value: unknown): string[] {
  if (typeof value === 'string') return value.split(',').map((t) => t.trim()).filter(Boolean);
  if (Array.isArray(value)) return value.flatMap((v) => (typeof v === 'string' ? namesOf(v) : []));
  return [];
}

/** A persona's name for a tool → our tools: Claude Code names through the map, our own names as they are. */
function ours(name: string): readonly ToolName[] | undefined {
  const mapped = claudeToolMap[name];
  if (mapped) return mapped;
  return agentNames.has(name) ? [name as ToolName] : undefined;
}

/**
 * Database tools are offered unless forbidden by name; read, edit and checklist tools only when allowed (a persona
 * without a `tools` field gets the read tools). `forbidden` wins over `allowed`, in either vocabulary.
 */
export function offeredTools(persona: PersonaToolLists): OfferedTools {
  const raw = persona.metadata['tools'];
  const hasField = raw !== undefined && raw !== null && raw !== '';
  const forbiddenNames = raw && typeof raw === 'object' && !Array.isArray(raw) ? namesOf((raw as Record<string, unknown>)['forbidden']) : [];
  const wanted = new Set<ToolName>(databaseToolNames);
  if (!hasField) for (const t of readToolNames) wanted.add(t);
  const neverOffered: string[] = [];
  const unknown: string[] = [];
  for (const name of persona.tools) {
    if (neverOfferedTools.includes(name)) {
      if (!neverOffered.includes(name)) neverOffered.push(name);
      continue;
    }
    const mapped = ours(name);
    if (mapped) for (const t of mapped) wanted.add(t);
    else if (!unknown.includes(name)) unknown.push(name);
  }
  for (const name of forbiddenNames) for (const t of ours(name) ?? []) wanted.delete(t);
  return { offered: agentToolNames.filter((t) => wanted.has(t)), neverOffered, unknown };
}

/** The one log line about tools left out, or null when there is nothing to say. */
export function offeredToolsNote(personaName: string, result: OfferedTools): string | null {
  const parts: string[] = [];
  if (result.neverOffered.length) {
    parts.push(`${result.neverOffered.join(', ')} never offered (no shell, web or sub-agent access: the database is reached only through the safe path, files only read or proposed as diffs)`);
  }
  if (result.unknown.length) parts.push(`unknown tool names ignored: ${result.unknown.join(', ')}`);
  return parts.length ? `persona ${personaName}: ${parts.join('; ')}` : null;
}
