// The two real Claude Code agent files that strict YAML rejects load exactly as they are.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { parsePersona } from '../../../src/core/persona/parse';
import type { Persona } from '../../../src/core/persona/types';

const seeds = join(__dirname, '..', '..', 'fixtures', 'personas', 'seeds');

function load(name: string): { text: string; persona: Persona } {
  const file = join(seeds, name);
  const text = readFileSync(file, 'utf8');
  const result = parsePersona(text, { file, origin: 'workspace' });
  if (!result.ok) throw new Error(`${result.error.file}: ${result.error.message}`);
  return { text, persona: result.persona };
}

describe('seed files', () => {
  it('are rejected by strict YAML, which is why the lenient reader exists', () => {
    for (const name of ['data-engineer.md', 'the-data-engineer.md']) {
      expect(() => matter(readFileSync(join(seeds, name), 'utf8'), { language: 'yaml' }), name).toThrow();
    }
  });

  it('data-engineer.md: name, multi-line description with the HANDOFF text, tools map, color, metadata', () => {
    const { text, persona: p } = load('data-engineer.md');
    expect(p.name).toBe('data-engineer');
    expect(p.source).toEqual({ file: join(seeds, 'data-engineer.md'), origin: 'workspace' });
    expect(p.description.startsWith('Use this agent for expert data engineering requiring complex data pipeline development, ETL/ELT systems,')).toBe(true);
    expect(p.description).toContain('Examples: <example>Context: User needs to design a real-time data pipeline for analytics. user: "I need');
    // The unindented lines after a blank line continue the description, folded: one blank line becomes one newline.
    expect(p.description).toContain('disaster recovery with RPO/RTO guarantees for critical financial data.');
    expect(p.description).toContain("crisis management capabilities.</commentary></example>\n<example>Context: Financial data platform");
    expect(p.description).toContain('</example> **HANDOFF COORDINATION patterns:** - **FROM backend-dev**: Receives application data requirements \u2192 Designs data pipelines');
    expect(p.description.endsWith('- **FROM senior-dev**: When data processing complexity requires staff-level expertise and scale considerations')).toBe(true);
    expect(p.description).not.toContain('color: orange');
    expect(p.color).toBe('orange');
    expect(p.model).toBeUndefined();
    expect(p.tools).toEqual(['Bash', 'Read', 'Write', 'Edit', 'MultiEdit', 'Glob', 'Grep', 'LS', 'WebFetch', 'WebSearch', 'TodoWrite']);
    expect(p.metadata.tools).toEqual({
      allowed: ['Bash', 'Read', 'Write', 'Edit', 'MultiEdit', 'Glob', 'Grep', 'LS', 'WebFetch', 'WebSearch', 'TodoWrite'],
      forbidden: [],
      rationale: 'Data engineer requires full tool access to implement complex data systems, perform database operations, and manage data infrastructure',
    });
    expect(p.metadata.specialization_level).toBe('staff');
    expect(p.metadata.domain_expertise).toEqual([
      'data_pipelines', 'etl_elt', 'database_optimization', 'data_warehouse', 'stream_processing', 'data_architecture', 'data_governance',
    ]);
    expect(p.metadata.escalation_from).toEqual(['senior-dev', 'backend-dev']);
    expect(p.metadata.scale_triggers).toEqual({
      data_volume: '>10GB data or >10M records/day',
      query_volume: '>100k queries/day',
      pipeline_count: '>10 data pipelines',
      real_time_volume: '>100k events/second',
    });
    expect(Object.keys(p.metadata)).toEqual([
      'specialization_level', 'domain_expertise', 'escalation_to', 'escalation_from', 'parallel_compatible',
      'scale_triggers', 'complexity_triggers', 'scope_triggers', 'escalation_triggers', 'tools',
    ]);
    expect(p.body.startsWith('# Data Engineer\n\n## Identity\nYou are an expert Data Engineer')).toBe(true);
    // The body is the file's text after the front matter, unchanged.
    expect(text.endsWith(p.body)).toBe(true);
    expect(p.body).toContain('## Tools');
  });

  it('the-data-engineer.md: literal \\n become newlines, body kept byte for byte (mojibake included)', () => {
    const { text, persona: p } = load('the-data-engineer.md');
    expect(p.name).toBe('the-data-engineer');
    expect(p.description.startsWith('Database and data pipeline specialist. Expert in data modeling, ETL processes, query optimization')).toBe(true);
    expect(p.description).toContain('big data solutions. Examples:\n\n<example>\nContext: Designing data storage for new feature.\nuser: "We need to store millions of time-series data points"\n');
    expect(p.description).not.toContain('\\n');
    expect(p.description.endsWith('The data engineer creates reliable data infrastructure for analytics and operations.\n</commentary>\n</example>')).toBe(true);
    expect(p.tools).toEqual([]);
    expect(p.color).toBeUndefined();
    expect(p.metadata).toEqual({});
    expect(p.body.startsWith('You are an expert data engineer with deep knowledge of database systems')).toBe(true);
    expect(p.body).toContain('## Personality');
    expect(text.endsWith(p.body)).toBe(true);
    // The file's mojibake (UTF-8 read as Latin-1 and saved again) is the file's content; the loader does not repair it.
    expect(p.body).toContain('( \u00e2\u2014\u2030\u00e2\u20ac\u00bf\u00e2\u2014\u2030)');
  });

  it('load the same from CRLF text with a BOM', () => {
    for (const name of ['data-engineer.md', 'the-data-engineer.md']) {
      const { text, persona } = load(name);
      const crlf = parsePersona(`\uFEFF${text.replace(/\n/g, '\r\n')}`, persona.source);
      expect(crlf.ok && crlf.persona).toEqual(persona);
    }
  });
});
