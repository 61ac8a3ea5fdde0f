// Large plans from a real PostgreSQL server reach the extension as JSON text and are parsed and analyzed in a worker
// thread (dist/planWorker.js, built by `npm test`), with the same findings and evidence as the in-line path.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeExplain, analyzeExplainOffThread } from '../../../src/app/analyze';
import { openDatabase, parseConnectionUrl } from '../../../src/db/open';
import { rawPlanThreshold } from '../../../src/db/pgTransaction';
import { defaultSessionLimits, type Database } from '../../../src/db/types';

const pgUrl = process.env.DATAENG_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const workerFile = join(__dirname, '..', '..', '..', 'dist', 'planWorker.js');
let db: Database;

beforeAll(async () => {
  const { config, password } = parseConnectionUrl(pgUrl);
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}) });
});
afterAll(async () => {
  await db.close();
});

describe('large plans off the main thread', () => {
  it('keeps a plan over the threshold as text and analyzes it in a worker with the in-line result', async () => {
    // A filter on a 200,000-element array literal: the plan's JSON is well over 1 MB, as plans over thousands of
    // partitions are.
    const values = Array.from({ length: 200_000 }, (_, i) => i * 7).join(',');
    const sql = `SELECT g FROM generate_series(1, 50000) AS g WHERE g = ANY ('{${values}}'::int[])`;
    const result = await db.explain(sql, { analyze: false, consentToWrites: false });
    expect(typeof result.plan).toBe('string');
    expect((result.plan as string).length).toBeGreaterThan(rawPlanThreshold);

    const options = { budgetTokens: 1500, redact: false };
    const off = await analyzeExplainOffThread(result, options, { workerFile });
    expect(off.offThread).toBe(true);
    const inline = analyzeExplain(result, options);
    expect(off.findings).toEqual(inline.findings);
    expect(off.evidence).toBe(inline.evidence);
    expect(off.findings.some((f) => f.rule === 'hotspot')).toBe(true);
    expect(off.evidence).toContain('Function Scan');
  });

  it('parses a small plan in-line, as an object', async () => {
    const result = await db.explain('SELECT 1', { analyze: false, consentToWrites: false });
    expect(typeof result.plan).toBe('object');
    const analysis = await analyzeExplainOffThread(result, { budgetTokens: 500, redact: false }, { workerFile });
    expect(analysis.offThread).toBe(false);
    expect(analysis.evidence).toContain('Result');
  });
});
