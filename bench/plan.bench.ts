// Plan analysis at scale: a generated EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) of a query over 10,000 partitions
// (Aggregate → Append → 10,000 Seq Scans). Compares JSON.parse alone with parsePlan + analyzePlan on the same text,
// times summarize separately, and times the text format of the same plan.
import { analyzePlan } from '../src/core/plan/analyze';
import { parsePlan } from '../src/core/plan/parse';
import { summarize as summarizePlan } from '../src/core/plan/summarize';
import { report, round, summarize, time } from './harness';
import { partitionPlanJson, partitionPlanText } from './partitionPlan';

const PARTITIONS = 10_000;

const json = partitionPlanJson(PARTITIONS);
const text = partitionPlanText(PARTITIONS);
let sink = 0;

// The machine running this is shared, so the two measurements are interleaved (each run of JSON.parse is followed by
// a run of parse + analyze on the same text) and the ratio is taken per pair: contention hits both sides alike.
const RUNS = Number(process.env.PLAN_BENCH_RUNS ?? 15);
const parseSamples: number[] = [];
const analyzeSamples: number[] = [];
const ratios: number[] = [];
// CPU time (user + system, all threads of the process) as well as wall time: on a loaded machine wall time mostly
// measures waiting for a core, while CPU time measures the work.
const cpuRatios: number[] = [];
const cpuParse: number[] = [];
const cpuAnalyze: number[] = [];
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
for (let i = 0; i < RUNS + 3; i++) {
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  sink += (JSON.parse(json) as unknown[]).length;
  const a = performance.now() - t0;
  const ca = cpuMs(process.cpuUsage(c0));
  c0 = process.cpuUsage();
  t0 = performance.now();
  sink += analyzePlan(parsePlan(json)).length;
  const b = performance.now() - t0;
  const cb = cpuMs(process.cpuUsage(c0));
  if (i < 3) continue;
  parseSamples.push(a);
  analyzeSamples.push(b);
  ratios.push(b / a);
  cpuParse.push(ca);
  cpuAnalyze.push(cb);
  cpuRatios.push(cb / ca);
}
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
const jsonParse = summarize(parseSamples);
const parseAnalyze = summarize(analyzeSamples);
const ratioMedian = median(ratios);
const cpuRatio = median(cpuRatios);
const ratioMin = parseAnalyze.minMs / jsonParse.minMs;

const parsed = parsePlan(json);
const findings = analyzePlan(parsed);
let summary = '';
const summarizeTiming = time(() => {
  summary = summarizePlan(parsed, findings, { budgetTokens: 2000 });
}, { warmup: 3, runs: 15 });
const textParseAnalyze = time(() => {
  sink += analyzePlan(parsePlan(text)).length;
}, { warmup: 2, runs: 10 });

console.log(`plan JSON: ${(json.length / 1e6).toFixed(1)} MB, ${parsed.nodeCount} nodes; text: ${(text.length / 1e6).toFixed(1)} MB`);
console.log(`JSON.parse alone          min ${jsonParse.minMs} ms, median ${jsonParse.medianMs} ms`);
console.log(`parsePlan + analyzePlan   min ${parseAnalyze.minMs} ms, median ${parseAnalyze.medianMs} ms`);
console.log(`ratio to JSON.parse       ${ratioMedian.toFixed(2)}× wall (median of paired runs), ${ratioMin.toFixed(2)}× (best vs best)`);
console.log(`CPU time                  JSON.parse median ${round(median(cpuParse))} ms, parse+analyze median ${round(median(cpuAnalyze))} ms, ratio ${cpuRatio.toFixed(2)}×`);
console.log(`summarize (2,000 tokens)  median ${summarizeTiming.medianMs} ms, ${summary.length} chars`);
console.log(`text format parse+analyze median ${textParseAnalyze.medianMs} ms`);
if (sink < 0) console.log(sink);
report({
  partitions: PARTITIONS,
  nodes: parsed.nodeCount,
  jsonMB: round(json.length / 1e6),
  jsonParseMinMs: jsonParse.minMs,
  jsonParseMedianMs: jsonParse.medianMs,
  parseAnalyzeMinMs: parseAnalyze.minMs,
  parseAnalyzeMedianMs: parseAnalyze.medianMs,
  ratioToJsonParse: round(ratioMedian),
  ratioBestToBest: round(ratioMin),
  cpuJsonParseMs: round(median(cpuParse)),
  cpuParseAnalyzeMs: round(median(cpuAnalyze)),
  ratioCpu: round(cpuRatio),
  summarizeMs: summarizeTiming.medianMs,
  textMB: round(text.length / 1e6),
  textParseAnalyzeMs: textParseAnalyze.medianMs,
});
