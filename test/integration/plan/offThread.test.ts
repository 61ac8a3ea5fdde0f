// analyzePlanOffThread runs big inputs in a real worker thread (the bundled planWorker.js) and small ones in-line.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePlan } from '../../../src/core/plan/analyze';
import { PlanParseError } from '../../../src/core/plan/model';
import { parsePlan } from '../../../src/core/plan/parse';
import { analyzePlanOffThread, OFF_THREAD_THRESHOLD } from '../../../src/host/analyzePlanOffThread';
import { deepPlanJson, partitionedPlanJson } from '../../unit/plan/generate';

const root = join(__dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'dataeng-planworker-'));
const workerFile = join(dir, 'planWorker.js');

beforeAll(async () => {
  // The same entry and options scripts/build.mjs uses for dist/planWorker.js, built alone so this test does not
  // depend on every other bundle building.
  await esbuild.build({ entryPoints: [join(root, 'src/host/planWorker.ts')], outfile: workerFile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('analyzePlanOffThread', () => {
  it('analyzes a plan over 1 MB in a worker thread, with the same result as in-line', async () => {
    const text = partitionedPlanJson(5000);
    expect(text.length).toBeGreaterThan(OFF_THREAD_THRESHOLD);
    const result = await analyzePlanOffThread(text, { workerFile });
    expect(result.offThread).toBe(true);
    expect(result.plan.nodeCount).toBe(5002);
    const inline = parsePlan(text);
    expect(result.findings).toEqual(analyzePlan(inline));
    expect(result.plan.root.children[0]!.children[4321]!.relation).toBe('events_p4321');
  });

  it('keeps small plans in-line', async () => {
    const result = await analyzePlanOffThread('Seq Scan on t  (cost=0.00..1.00 rows=1 width=4)', { workerFile });
    expect(result.offThread).toBe(false);
    expect(result.plan.root.relation).toBe('t');
  });

  it('passes the dialect hint and rethrows parse errors from the worker as PlanParseError', async () => {
    const err = await analyzePlanOffThread('x'.repeat(2000) + '\nnot a plan', { workerFile, threshold: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PlanParseError);
    expect((err as Error).message).toMatch(/expected PostgreSQL EXPLAIN output/);
    const hinted = await analyzePlanOffThread(partitionedPlanJson(10), { workerFile, threshold: 100, hint: { dialect: 'sqlite' } }).catch((e: unknown) => e);
    expect((hinted as Error).message).toMatch(/expected SQLite EXPLAIN QUERY PLAN/);
  });

  it('handles a 10,000-deep plan (too deep to copy between threads) by finishing in-line', async () => {
    const result = await analyzePlanOffThread(deepPlanJson(10_000), { workerFile, threshold: 1000 });
    expect(result.plan.nodeCount).toBe(10_001);
    expect(result.findings.some((f) => f.rule === 'hotspot')).toBe(true);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const pending = analyzePlanOffThread(partitionedPlanJson(5000), { workerFile, signal: controller.signal });
    controller.abort(new Error('user cancelled'));
    await expect(pending).rejects.toThrow('user cancelled');
  });
});
