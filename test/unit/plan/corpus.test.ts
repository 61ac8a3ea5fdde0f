// Issue 18: every real plan in the corpus (test/fixtures/plans/corpus, sources in manifest.json) reads right. The
// expected figures come from corpusCount.ts, a counter that shares no code with the parser; the manifest records them
// and this test recounts them, so neither the files nor the manifest can drift unnoticed.
import { describe, expect, it } from 'vitest';
import { preorder } from '../../../src/core/plan/model';
import { useDocumentReaders } from '../../../src/core/plan/documentReaders';
import { parsePlan } from '../../../src/core/plan/parse';
import { pgDocumentReaders } from '../../../src/core/plan/pgDocuments';
import { checkEntry, externalCorpusDir, planPath, readManifest, readPlanFile } from './corpusCheck';
import { expectedFigures } from './corpusCount';

useDocumentReaders(pgDocumentReaders);
const all = readManifest();
// Plans from other projects are not committed (entries marked external, see corpusCheck.ts); those not on this machine
// are listed as skipped, with their count, rather than dropped quietly. Our own live captures are always here.
const manifest = all.filter((e) => planPath(e) !== undefined);
const absent = all.filter((e) => planPath(e) === undefined);

describe('the plan corpus', () => {
  it('holds several hundred real plans, each with its source', () => {
    expect(all.length).toBeGreaterThanOrEqual(500);
    // The part CI always has, our own live captures, is several hundred plans by itself.
    expect(all.filter((e) => e.external !== true).length).toBeGreaterThanOrEqual(500);
    for (const e of all) {
      expect(e.repository, e.file).not.toBe('');
      expect(e.path, e.file).not.toBe('');
      if (e.collected !== 'live') expect(e.commit, e.file).toMatch(/^[0-9a-f]{40}$/);
    }
    const formats = new Set(all.map((e) => e.format));
    expect([...formats].sort()).toEqual(['json', 'sqlite', 'text', 'xml', 'yaml']);
    // Only our own live captures are committed; everything else is marked external. The committed part alone covers
    // every format too.
    for (const e of all) expect(e.external === true, e.file).toBe(e.collected !== 'live');
    expect([...new Set(all.filter((e) => e.external !== true).map((e) => e.format))].sort()).toEqual(['json', 'sqlite', 'text', 'xml', 'yaml']);
  });

  // Shown as skipped, with the count, where the external plans are absent (a fresh clone without shared/plan-corpus).
  it.skipIf(absent.length > 0)(
    absent.length
      ? `reads its ${absent.length} external plans (not on this machine: put them in $DATAENG_PLAN_CORPUS or ../shared/plan-corpus, or run scripts/collectPlanCorpus.ts)`
      : 'has every external plan on this machine',
    () => {
      expect(externalCorpusDir()).toBeDefined();
    },
  );

  it.each(manifest.filter((e) => !e.expected.wrapped).map((e) => [e.file, e] as const))('%s: the manifest has the plan\'s own figures', (_file, entry) => {
    expect(expectedFigures(readPlanFile(entry), entry.format)).toEqual(entry.expected);
  });

  it.each(manifest.map((e) => [e.file, e] as const))('%s reads right', (_file, entry) => {
    const outcome = checkEntry(entry, (text) => parsePlan(text));
    // A terminal-wrapped paste may be refused, but only with a reason that says it looks wrapped.
    if (entry.expected.wrapped && outcome.kind === 'refused-wrapped') return;
    expect(outcome.kind === 'ok' ? 'ok' : `${outcome.kind}: ${outcome.message}`).toBe('ok');
  });

  it('reassembles wrapped pastes, keeps every node, and says so', () => {
    for (const e of manifest.filter((x) => x.expected.wrapped)) {
      const plan = parsePlan(readPlanFile(e));
      expect(plan.nodeCount, e.file).toBe(e.expected.nodes);
      // The live captures are wrapped for certain (pev2's folder also holds a few that are not).
      if (e.collected === 'live') expect(plan.warnings.join('\n'), e.file).toMatch(/wrapped/);
    }
  });

  it('gives every node an id and a type, whatever the format', () => {
    for (const e of manifest) {
      const plan = parsePlan(readPlanFile(e));
      for (const n of preorder(plan.root)) {
        expect(n.id, e.file).toMatch(/^#\d+$/);
        expect(n.nodeType, e.file).not.toBe('');
      }
    }
  });
});
