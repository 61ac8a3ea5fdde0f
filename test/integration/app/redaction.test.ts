// Literal redaction end to end (`dataeng.privacy.redactLiterals`): statements with random literals of every kind run
// through the whole pipeline — the real EXPLAIN ANALYZE on PostgreSQL, analysis, findings, evidence, an earlier turn
// in the history, a question that quotes values — to the real SDK and the fake Messages API. No literal value of
// three or more characters may appear anywhere in the recorded request body. Also: follow-ups keep earlier evidence.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzePort } from '../../../src/app/analyze';
import { runTask, type PipelinePorts } from '../../../src/app/pipeline';
import type { PromptMessage } from '../../../src/core/prompt/types';
import { openDatabase } from '../../../src/db/open';
import { defaultSessionLimits, type Database } from '../../../src/db/types';
import { createLlmClient } from '../../../src/llm/client';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fakeAnthropic';
import { adminClient, testConfig, uniqueName } from '../db/pgSupport';

const schema = uniqueName('dataeng_redact');
let admin: pg.Client;
let db: Database;
let fake: FakeAnthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  admin = await adminClient();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.t (id int PRIMARY KEY, name text, amount numeric, tags text[], doc jsonb, bits bit varying, note text)`);
  await admin.query(
    `INSERT INTO ${schema}.t SELECT g, 'n' || g, g * 1.5, ARRAY['a' || g], jsonb_build_object('k', g), B'1010', md5(g::text) FROM generate_series(1, 2000) g`,
  );
  await admin.query(`ANALYZE ${schema}.t`);
  const { config, password } = testConfig(uniqueName('dataeng_redact_app'));
  db = await openDatabase(config, { limits: defaultSessionLimits, ...(password ? { password } : {}), env: {} });
});

afterAll(async () => {
  await db?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
  await fake?.close();
});

/** A small seeded generator, so a failure can be replayed from its seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Case {
  sql: string;
  question: string;
  history: PromptMessage[];
  /** Every literal value written into the case, as the model must never see it. */
  secrets: { text: string; number: boolean }[];
}

function makeCase(seed: number): Case {
  const r = rng(seed);
  const word = (prefix: string) => prefix + Array.from({ length: 6 + Math.floor(r() * 5) }, () => 'abcdefghjkmnpqrstuvwxyz23456789'[Math.floor(r() * 31)]).join('');
  const num = () => String(100_000 + Math.floor(r() * 899_999_999));
  const secrets: Case['secrets'] = [];
  const s = (prefix: string) => {
    const v = word(prefix);
    secrets.push({ text: v, number: false });
    return v;
  };
  const n = () => {
    const v = num();
    secrets.push({ text: v, number: true });
    return v;
  };
  const t = `${schema}.t`;
  const forms = [
    () => `SELECT * FROM ${t} WHERE name = '${s('s')}' AND amount > ${n()}`,
    () => `SELECT id FROM ${t} WHERE doc @> '{"k": "${s('j')}", "n": ${n()}}'::jsonb ORDER BY amount * ${n()}`,
    () => `SELECT name FROM ${t} WHERE tags && '{${s('a')},${s('b')}}'::text[] OR note = E'${s('e')}\\t'`,
    () => `SELECT count(*) FROM ${t} WHERE note = $$${s('d')}$$ OR bits = B'${'10'.repeat(3 + Math.floor(r() * 4))}'`,
    () => `EXPLAIN VERBOSE SELECT id, name || '${s('o')}' AS x FROM ${t} WHERE id IN (${n()}, ${n()}) ORDER BY name || '${s('k')}'`,
    () => `SELECT * FROM ${t} WHERE id = '${s('bad')}'`,
  ];
  const sql = forms[seed % forms.length]!();
  const earlier = `SELECT * FROM ${t} WHERE note = '${s('h')}' AND amount = ${n()}`;
  const history: PromptMessage[] = [
    // An earlier turn from before redaction was turned on: its text and evidence still hold the values.
    { role: 'user', content: `Optimize\n\n${earlier}`, evidence: { sql: earlier, dialect: 'postgres', plan: `Filter: (note = '${secrets.at(-2)!.text}'::text)`, findings: `[F1] warning x (score 1): amount = ${secrets.at(-1)!.text}` } },
    { role: 'assistant', content: `Index it:\n\n\`\`\`sql\nCREATE INDEX ON ${t} (note) WHERE note <> '${s('m')}';\n\`\`\`` },
  ];
  const question = `Is '${s('q')}' or ${n()} the problem here?`;
  return { sql, question, history, secrets };
}

describe('redaction: no literal leaves the machine (property test)', () => {
  const cases = Array.from({ length: 24 }, (_, i) => 7919 * (i + 1));
  it.each(cases)('seed %i', async (seed) => {
    const c = makeCase(seed);
    fake.script({ kind: 'stream', text: 'ok', chunkSize: 2 });
    const ports: PipelinePorts = {
      explain: (sql, signal) => db.explain(sql, { analyze: true, consentToWrites: false, signal }),
      analyze: analyzePort(3000),
      llm: createLlmClient({ apiKey: 'sk-test-redaction-key', baseUrl: fake.url }),
    };
    const before = fake.requests.length;
    const outcome = await runTask(
      { task: 'optimize', sql: c.sql, dialect: 'postgres', question: c.question, personaBody: 'You are a DBA.', history: c.history, redactLiterals: true },
      ports,
      () => undefined,
      new AbortController().signal,
    );
    expect(outcome.end).toBe('done');
    expect(fake.requests.length).toBe(before + 1);
    const body = JSON.stringify(fake.requests.at(-1)!.body);
    for (const secret of c.secrets) {
      const found = secret.number ? new RegExp(`(?<![\\d.])${secret.text}(?![\\d])`).test(body) : body.includes(secret.text);
      expect(found, `${secret.text} leaked (seed ${seed}, ${c.sql})`).toBe(false);
    }
    // The evidence kept for the next turn is redacted too.
    const kept = JSON.stringify(outcome.evidence);
    for (const secret of c.secrets) expect(kept.includes(secret.text), `${secret.text} kept in the turn's evidence`).toBe(false);
    // Redaction keeps the shape: the table is still named, and the plan evidence still arrived.
    expect(body).toContain(`${schema}.t`);
  });
});

describe('follow-ups remember the evidence', () => {
  it('"why is F2 a problem?" is sent with the earlier turn\'s findings and plan', async () => {
    const ports: PipelinePorts = {
      explain: (sql, signal) => db.explain(sql, { analyze: true, consentToWrites: false, signal }),
      analyze: analyzePort(3000),
      llm: createLlmClient({ apiKey: 'sk-test-redaction-key', baseUrl: fake.url }),
    };
    fake.script({ kind: 'stream', text: 'Add an index [F1].', chunkSize: 4 });
    // A join of two CTE scans: the row estimate is far off (row-misestimate) besides the hotspot, so there is an F2.
    const sql = 'with x as (select g, md5(g::text) m from generate_series(1, 50000) g) select * from x a join x b on a.m = b.m where a.g % 100 = 1';
    const first = await runTask({ task: 'optimize', sql, dialect: 'postgres', personaBody: 'x' }, ports, () => undefined, new AbortController().signal);
    expect(first.findings.length).toBeGreaterThan(1);
    expect(first.evidence?.findings).toMatch(/\[F2\]/);

    fake.script({ kind: 'stream', text: 'Because…', chunkSize: 4 });
    const history: PromptMessage[] = [
      { role: 'user', content: 'Optimize', ...(first.evidence ? { evidence: first.evidence } : {}) },
      { role: 'assistant', content: first.text },
    ];
    const second = await runTask({ task: 'chat', question: 'why is F2 a problem?', dialect: 'postgres', personaBody: 'x', history }, ports, () => undefined, new AbortController().signal);
    expect(second.end).toBe('done');
    const messages = (fake.requests.at(-1)!.body as { messages: { role: string; content: string }[] }).messages;
    expect(messages[0]!.role).toBe('user');
    expect(messages[0]!.content).toContain(`[F2] ${first.findings[1]!.severity} ${first.findings[1]!.rule}`);
    expect(messages[0]!.content).toMatch(/<plan_evidence>[\s\S]*CTE Scan on x/);
    expect(messages.at(-1)!.content).toContain('why is F2 a problem?');
  });
});
