// Reads the captured plans in test/fixtures/plans (see the README there for how they were captured).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../../src/core/findings';
import { analyzePlan } from '../../../src/core/plan/analyze';
import type { Plan } from '../../../src/core/plan/model';
import { parsePlan } from '../../../src/core/plan/parse';

export const fixtureDir = join(__dirname, '..', '..', 'fixtures', 'plans');

export function fixture(path: string): string {
  return readFileSync(join(fixtureDir, path), 'utf8');
}

export function fixtureFiles(dialect: 'postgres' | 'sqlite'): string[] {
  return readdirSync(join(fixtureDir, dialect))
    .filter((f) => f.endsWith('.json') || f.endsWith('.txt'))
    .map((f) => `${dialect}/${f}`)
    .sort();
}

export function load(path: string): { plan: Plan; findings: Finding[] } {
  const plan = parsePlan(fixture(path));
  return { plan, findings: analyzePlan(plan) };
}

export function rulesOf(findings: readonly Finding[], minSeverity: 'info' | 'warning' = 'warning'): string[] {
  return [...new Set(findings.filter((f) => minSeverity === 'info' || f.severity !== 'info').map((f) => f.rule))].sort();
}
