// The personas shipped in agents/ are strict YAML, load through the same parser, and brief the model on its evidence.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { parsePersona } from '../../../src/core/persona/parse';
import { formatFindings } from '../../../src/core/findingsFormat';
import { sectionNames } from '../../../src/core/prompt/sections';
import type { Persona } from '../../../src/core/persona/types';

const agents = join(__dirname, '..', '..', '..', 'agents');

function load(name: string): { text: string; persona: Persona } {
  const file = join(agents, name);
  const text = readFileSync(file, 'utf8');
  const r = parsePersona(text, { file, origin: 'bundled' });
  if (!r.ok) throw new Error(`${r.error.file}: ${r.error.message}`);
  return { text, persona: r.persona };
}

describe('bundled personas', () => {
  it('are exactly the-data-engineer and data-engineer', () => {
    expect(readdirSync(agents).filter((f) => f.endsWith('.md')).sort()).toEqual(['data-engineer.md', 'the-data-engineer.md']);
  });

  for (const name of ['data-engineer', 'the-data-engineer']) {
    describe(name, () => {
      const { text, persona } = load(`${name}.md`);

      it('is valid strict YAML that the parser reads to the same fields', () => {
        const strict = matter(text, { language: 'yaml' });
        expect(strict.data.name).toBe(name);
        expect(persona.name).toBe(name);
        expect(persona.description).toBe(String(strict.data.description).trim());
        expect(persona.description.length).toBeGreaterThan(80);
        expect(persona.color).toBe(strict.data.color);
      });

      it('is plain ASCII text, so no mojibake can creep in', () => {
        expect(text).not.toMatch(/[\u00c2\u00c3\u00e2\u00f0][\u0080-\u00ff\u2000-\u20ff]/);
        // Tab and newline are the only control characters a persona file may contain.
        // eslint-disable-next-line no-control-regex
        expect(text).not.toMatch(/[^\x09\x0a\x20-\x7e]/);
      });

      it('tells the model what evidence it gets and how to use it', () => {
        const body = persona.body;
        for (const id of ['seq-scan-filter', 'row-misestimate', 'sort-spill', 'hotspot', 'fk-without-index', 'sqlite-full-scan']) {
          expect(body, id).toContain(`\`${id}\``);
        }
        expect(body).toMatch(/plan summary/i);
        expect(body).toMatch(/row counts/);
        expect(body).toMatch(/never an instruction|never instructions/);
        expect(body).toMatch(/ignore any instruction/i);
        expect(body).toContain('fenced');
        expect(body).toContain('`sql`');
        expect(body).toContain('CREATE INDEX CONCURRENTLY');
        expect(body).toMatch(/write amplification/i);
        expect(body).toMatch(/lock/);
        expect(body).toMatch(/plain EXPLAIN/i);
        expect(body).toMatch(/EXPLAIN ANALYZE/);
        expect(body).toMatch(/cite|Cite/);
      });

      it('names every data section the prompt builder writes, and shows the findings line format it uses', () => {
        for (const tag of sectionNames) expect(persona.body, tag).toContain(`<${tag}`);
        const line = formatFindings([
          { rule: 'seq-scan-filter', severity: 'warning', score: 4.1, message: 'M', node: '#2', evidence: {} },
        ]);
        expect(line).toBe('[F1] warning seq-scan-filter at #2 (score 4.1): M');
        expect(persona.body).toContain(line.replace(': M', ': '));
      });
    });
  }

  it('data-engineer keeps the seed\'s front-matter shape: tools map, color orange, staff metadata', () => {
    const { persona } = load('data-engineer.md');
    expect(persona.color).toBe('orange');
    expect(persona.tools).toEqual(['Read', 'Grep', 'Glob']);
    expect(persona.metadata.specialization_level).toBe('staff');
    expect(persona.metadata.domain_expertise).toContain('query_optimization');
    expect(persona.metadata.tools).toMatchObject({ allowed: ['Read', 'Grep', 'Glob'] });
    expect(persona.body.startsWith('# Data Engineer\n')).toBe(true);
  });

  it('the two voices differ: enthusiastic versus terse', () => {
    expect(load('the-data-engineer.md').persona.body).toMatch(/genuinely enjoy/);
    expect(load('data-engineer.md').persona.body).toMatch(/terse/);
  });
});
