// What counts as the user's Stop in the pipeline: an abort or a cancelled statement ends the run as "cancelled";
// a statement timeout does not, its message reaches the user and becomes evidence.
import { describe, expect, it } from 'vitest';
import { runTask, type PipelineEvent, type PipelinePorts } from '../../../src/app/pipeline';
import { ExplainCancelledError } from '../../../src/db/errors';

function run(error: Error) {
  const events: PipelineEvent[] = [];
  const ports: PipelinePorts = { explain: () => Promise.reject(error), analyze: () => ({ findings: [], evidence: '' }), llm: null };
  return runTask({ task: 'explain', sql: 'select 1', dialect: 'postgres', personaBody: 'x' }, ports, (e) => events.push(e), new AbortController().signal).then((outcome) => ({ outcome, events }));
}

describe('pipeline: stops and timeouts', () => {
  it('a cancelled statement ends the run as the user\'s Stop', async () => {
    const { outcome } = await run(new ExplainCancelledError('cancelled', 'the explain was cancelled'));
    expect(outcome.errorKind).toBe('cancelled');
  });

  it('a statement timeout is not a Stop: its message is shown and kept as evidence', async () => {
    const { outcome, events } = await run(new ExplainCancelledError('timeout', 'canceling statement due to statement timeout'));
    expect(outcome.errorKind).toBeUndefined();
    expect(events.some((e) => e.type === 'status' && /statement timeout/.test(e.text))).toBe(true);
    expect(outcome.evidence?.plan).toMatch(/EXPLAIN failed: canceling statement due to statement timeout/);
  });
});
