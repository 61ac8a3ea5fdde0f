// Click → findings painted, as a user feels it: in a real VS Code (code-server + Chromium) on the embedded demo
// database with a warm connection, from the click on "Optimize Query" in the editor's context menu to the first
// animation frame after the findings are in the chat webview (measured in the page with Date.now, the same clock as
// this process, so no polling delay is added). The model is the fake Messages API; its answer waits, so only the
// path to the findings is timed. Run: npm run bench -- clickToFindings   (needs code-server)
import { loadavg } from 'node:os';
import { startFakeAnthropic } from '../test/support/fakeAnthropic';
import { VsCodeSession } from '../test/e2e/support/session';
import { report, round, summarize } from './harness';

const RUNS = Number(process.env.CLICK_BENCH_RUNS ?? 9);

async function main(): Promise<void> {
  const fake = await startFakeAnthropic();
  fake.handle(() => ({ kind: 'stream', text: 'An index on customer_id [F1].', chunkSize: 8 }));
  const session = await VsCodeSession.open({ name: 'bench-click', settings: { 'dataeng.anthropic.baseUrl': fake.url, 'dataeng.explain.analyze': 'readsOnly' } });
  const samples: number[] = [];
  try {
    const wb = session.workbench;
    await wb.openFile('queries.sql');
    for (let i = 0; i < RUNS + 1; i++) {
      await wb.chat.armFindingsStopwatch().catch(() => undefined);
      await wb.editor.rightClickLine('WHERE o.customer_id = 42');
      const clicked = await wb.contextMenu().choose('Optimize Query');
      // The first run opens the chat and creates the demo database: it warms everything and is not counted.
      const painted = await wb.chat.findingsPaintedAt(i === 0 ? 240_000 : 60_000).catch(async () => {
        await wb.chat.finding('seq-scan-filter').last().waitFor({ timeout: 240_000 });
        return NaN;
      });
      await wb.chat.stopButton.waitFor({ state: 'hidden', timeout: 60_000 });
      if (i > 0 && Number.isFinite(painted)) samples.push(painted - clicked);
    }
  } finally {
    await session.close();
    await fake.close();
  }
  const t = summarize(samples);
  console.log(`click → findings painted (warm, demo database): median ${t.medianMs} ms, min ${t.minMs} ms, p95 ${t.p95Ms} ms over ${t.runs} runs (load ${round(loadavg()[0]!)})`);
  report({ clickToFindingsMedianMs: t.medianMs, clickToFindingsMinMs: t.minMs, clickToFindingsP95Ms: t.p95Ms, runs: t.runs, loadAverage: round(loadavg()[0]!) });
}

void main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
