// Persona front matter → the tools offered: both shapes Claude Code writes, the seed personas, forbidden wins,
// never-offered tools, and the model precedence.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseModel } from '../../../src/core/persona/model';
import { parsePersona } from '../../../src/core/persona/parse';
import type { Persona } from '../../../src/core/persona/types';
import { offeredTools, offeredToolsNote } from '../../../src/core/tools/offered';
import { modelAliases, defaultModel } from '../../../src/llm/model';

function persona(frontMatter: string, file = 'x.md'): Persona {
  const r = parsePersona(`---\nname: p\ndescription: d\n${frontMatter}---\nBody\n`, { file, origin: 'workspace' });
  if (!r.ok) throw new Error(r.error.message);
  return r.persona;
}

function fromFile(path: string): Persona {
  const r = parsePersona(readFileSync(path, 'utf8'), { file: path, origin: 'bundled' });
  if (!r.ok) throw new Error(r.error.message);
  return r.persona;
}

const db = ['explain_query', 'describe_table', 'review_schema', 'what_if_index', 'compare_results'];

describe('offeredTools', () => {
  it('no tools field: the database tools and the read tools', () => {
    expect(offeredTools(persona('')).offered).toEqual([...db, 'read_file', 'list_files', 'grep']);
  });

  it('comma string `tools: Read, Grep`: database tools plus the mapped ones only', () => {
    const r = offeredTools(persona('tools: Read, Grep\n'));
    expect(r.offered).toEqual([...db, 'read_file', 'grep']);
    expect(r.neverOffered).toEqual([]);
  });

  it('map shape with allowed/forbidden: every Claude Code name maps, forbidden wins over allowed', () => {
    const r = offeredTools(persona('tools:\n  allowed: [Read, Glob, LS, Grep, Edit, MultiEdit, Write, TodoWrite, Bash]\n  forbidden: [Write, describe_table]\n  rationale: "x"\n'));
    // Write is forbidden, so propose_edit goes although Edit and MultiEdit allow it; describe_table is forbidden by name.
    expect(r.offered).toEqual(['explain_query', 'review_schema', 'what_if_index', 'compare_results', 'read_file', 'list_files', 'grep', 'todo_write']);
    expect(r.neverOffered).toEqual(['Bash']);
  });

  it('forbidden as a comma string, and our own names in allowed', () => {
    const r = offeredTools(persona('tools:\n  allowed: read_file, todo_write\n  forbidden: Read, explain_query\n'));
    expect(r.offered).toEqual(['describe_table', 'review_schema', 'what_if_index', 'compare_results', 'todo_write']);
  });

  it('a list shape and unknown names', () => {
    const r = offeredTools(persona('tools: [Grep, Frobnicate, WebFetch, WebSearch, NotebookEdit, Task]\n'));
    expect(r.offered).toEqual([...db, 'grep']);
    expect(r.unknown).toEqual(['Frobnicate']);
    expect(r.neverOffered).toEqual(['WebFetch', 'WebSearch', 'NotebookEdit', 'Task']);
    expect(offeredToolsNote('p', r)).toBe(
      'persona p: WebFetch, WebSearch, NotebookEdit, Task never offered (no shell, web or sub-agent access: the database is reached only through the safe path, files only read or proposed as diffs); unknown tool names ignored: Frobnicate',
    );
  });

  it('nothing to say: no note', () => {
    expect(offeredToolsNote('p', offeredTools(persona('tools: Read\n')))).toBeNull();
  });

  it('the seed data-engineer (map shape, Bash and the web allowed): Bash and WebFetch/WebSearch never offered', () => {
    const r = offeredTools(fromFile(join(__dirname, '..', '..', 'fixtures', 'personas', 'seeds', 'data-engineer.md')));
    expect(r.offered).toEqual([...db, 'read_file', 'list_files', 'grep', 'propose_edit', 'todo_write']);
    expect(r.neverOffered).toEqual(['Bash', 'WebFetch', 'WebSearch']);
  });

  it('the bundled data-engineer (allowed Read/Grep/Glob, forbidden Bash/Write/Edit): read tools, no edits', () => {
    const r = offeredTools(fromFile(join(__dirname, '..', '..', '..', 'agents', 'data-engineer.md')));
    expect(r.offered).toEqual([...db, 'read_file', 'list_files', 'grep']);
    expect(r.neverOffered).toEqual([]);
  });

  it('the bundled the-data-engineer (no tools field): database and read tools', () => {
    expect(offeredTools(fromFile(join(__dirname, '..', '..', '..', 'agents', 'the-data-engineer.md'))).offered).toEqual([...db, 'read_file', 'list_files', 'grep']);
  });
});

describe('chooseModel', () => {
  it('explicit > user setting > persona > default', () => {
    expect(chooseModel({ explicit: 'a', userSetting: 'b', persona: 'c' }, modelAliases, defaultModel)).toEqual({ model: 'a', from: 'explicit' });
    expect(chooseModel({ userSetting: 'b', persona: 'c' }, modelAliases, defaultModel)).toEqual({ model: 'b', from: 'setting' });
    expect(chooseModel({ persona: 'claude-opus-4-8' }, modelAliases, defaultModel)).toEqual({ model: 'claude-opus-4-8', from: 'persona' });
    expect(chooseModel({}, modelAliases, defaultModel)).toEqual({ model: defaultModel, from: 'default' });
  });

  it('Claude Code aliases become ids; inherit and blanks fall through', () => {
    expect(chooseModel({ persona: 'Opus' }, modelAliases, defaultModel).model).toBe('claude-opus-5-5');
    expect(chooseModel({ persona: 'haiku' }, modelAliases, defaultModel).model).toBe('claude-haiku-5-5');
    expect(chooseModel({ explicit: ' ', userSetting: '', persona: 'inherit' }, modelAliases, defaultModel)).toEqual({ model: defaultModel, from: 'default' });
  });
});
