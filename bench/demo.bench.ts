// The demo database (PGlite in a worker thread): first use in a fresh directory (WASM start + seeding a few
// hundred thousand rows), then warm starts of the persisted copy and the first explain after a warm start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoDatabase } from '../src/db/demo/driver';
import { openDatabase } from '../src/db/open';
import { defaultSessionLimits } from '../src/db/types';
import { report, round, summarize } from './harness';

const workerDir = join(process.cwd(), 'dist');

async function open(dataDir: string): Promise<DemoDatabase> {
  return (await openDatabase({ name: 'demo', driver: 'demo' }, { limits: defaultSessionLimits, dataDir, workerDir })) as DemoDatabase;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dataeng-demo-bench-'));
  try {
    const t0 = performance.now();
    const first = await open(dir);
    const info = await first.start();
    const firstUseMs = performance.now() - t0;
    if (!info.seededNow) throw new Error('expected a fresh seed');
    await first.close();
    console.log(`first use (seed): ${round(firstUseMs / 1000, 1)} s, of which PGlite start + initdb ${round(info.createMs / 1000, 1)} s`);
    const cpu0 = process.cpuUsage();

    const warm: number[] = [];
    const createMs: number[] = [];
    const firstExplain: number[] = [];
    for (let i = 0; i < 3; i++) {
      const w0 = performance.now();
      const db = await open(dir);
      const again = await db.start();
      if (again.seededNow) throw new Error('warm start reseeded');
      warm.push(performance.now() - w0);
      createMs.push(again.createMs);
      const e0 = performance.now();
      await db.explain('SELECT * FROM orders WHERE customer_id = 42', { analyze: true, consentToWrites: false });
      firstExplain.push(performance.now() - e0);
      await db.close();
    }
    const w = summarize(warm);
    console.log(`warm start: median ${w.medianMs} ms`);
    const cpu = process.cpuUsage(cpu0);
    report({
      firstUseSeconds: round(firstUseMs / 1000, 1),
      firstUsePgliteStartSeconds: round(info.createMs / 1000, 1),
      warmStartMedianMs: w.medianMs,
      warmStartMinMs: w.minMs,
      warmPgliteStartMedianMs: summarize(createMs).medianMs,
      firstExplainAnalyzeAfterWarmStartMedianMs: summarize(firstExplain).medianMs,
      warmPhaseCpuSecondsPerStart: round((cpu.user + cpu.system) / 1e6 / 3, 1),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
