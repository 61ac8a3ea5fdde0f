// Counts how a parser reads the plan corpus: refused, misread, lost times, bad numbers, by source and format.
// Usage: npx vite-node scripts/measurePlanCorpus.ts -- [PARSE_MODULE] [--list]
// PARSE_MODULE defaults to src/core/plan/parse.ts; give the parse.ts of an older tree (for example `git archive main
// src/core | tar -x -C /tmp/main`) to measure the parser before a change.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkEntry, planPath, readManifest, type Outcome, type ParsedPlan } from '../test/unit/plan/corpusCheck';

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  const list = args.includes('--list');
  const modulePath = resolve(args.find((a) => !a.startsWith('--')) ?? 'src/core/plan/parse.ts');
  const { parsePlan } = (await import(modulePath)) as { parsePlan: (text: string) => ParsedPlan };
  // Parsers that read XML and YAML through installed readers (see documentReaders.ts) get them installed.
  const readersPath = resolve(modulePath, '../documentReaders.ts');
  if (existsSync(readersPath)) {
    const { useDocumentReaders } = (await import(readersPath)) as { useDocumentReaders: (r: unknown) => void };
    const { pgDocumentReaders } = (await import(resolve(modulePath, '../pgDocuments.ts'))) as { pgDocumentReaders: unknown };
    useDocumentReaders(pgDocumentReaders);
  }
  const tally = new Map<string, number>();
  const bySource = new Map<string, Map<string, number>>();
  let absent = 0;
  for (const entry of readManifest()) {
    if (planPath(entry) === undefined) {
      absent++;
      continue;
    }
    const outcome: Outcome = checkEntry(entry, (t) => parsePlan(t));
    tally.set(outcome.kind, (tally.get(outcome.kind) ?? 0) + 1);
    const key = `${entry.file.split('/')[0]} ${entry.format}`;
    const row = bySource.get(key) ?? new Map<string, number>();
    row.set(outcome.kind, (row.get(outcome.kind) ?? 0) + 1);
    bySource.set(key, row);
    if (list && outcome.kind !== 'ok') console.log(`${outcome.kind.padEnd(15)} ${entry.file}: ${outcome.message.slice(0, 160)}`);
  }
  for (const [key, row] of [...bySource].sort()) console.log(`${key.padEnd(24)} ${[...row].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  console.log(`total: ${[...tally].map(([k, n]) => `${k} ${n}`).join(', ')}${absent ? ` (${absent} collected plans not on this machine)` : ''}`);
}

void main();
