// The `dataeng` command as a user feels it: whole processes, start to exit. `dataeng --help` against a bare
// `node -e 0`, and `dataeng analyze-plan` on the 10,000-partition plan (10.5 MB of JSON) against a process that only
// reads and JSON.parses the same file. Runs are interleaved (one of each in turn), so load on a shared machine hits
// every command alike; wall time is the median, CPU time is the children's user + system time from /proc.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report, round } from './harness';
import { partitionPlanJson } from './partitionPlan';

const RUNS = Number(process.env.CLI_BENCH_RUNS ?? 15);
const dir = mkdtempSync(join(tmpdir(), 'dataeng-cli-bench-'));
const planFile = join(dir, 'partitions.json');
writeFileSync(planFile, partitionPlanJson(10_000));
const bin = join(process.cwd(), 'bin', 'dataeng.js');

const commands: Record<string, string[]> = {
  nodeBare: ['-e', '0'],
  nodeJsonParse: ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(planFile)}, 'utf8'))`],
  help: [bin, '--help'],
  analyzePlan: [bin, 'analyze-plan', planFile],
};

/** User + system time of the waited-for children so far, in ms (fields 16 and 17 of /proc/self/stat, in ticks). */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the command name, field 3 is index 0: cutime is field 16, cstime field 17.
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const wall: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
const cpu: Record<string, number> = Object.fromEntries(Object.keys(commands).map((k) => [k, 0]));
for (let i = 0; i < RUNS + 2; i++) {
  for (const [name, args] of Object.entries(commands)) {
    const c0 = childrenCpuMs();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = performance.now() - t0;
    const used = childrenCpuMs() - c0;
    if (r.status !== 0) throw new Error(`${name} failed (${r.status}): ${r.stderr}`);
    if (i < 2) continue;
    wall[name]!.push(ms);
    cpu[name]! += used;
  }
}
rmSync(dir, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const figures: Record<string, number> = {};
for (const name of Object.keys(commands)) {
  figures[`${name}WallMs`] = round(median(wall[name]!));
  figures[`${name}CpuMs`] = round(cpu[name]! / RUNS);
}
figures.helpOverBareWall = round(figures.helpWallMs! / figures.nodeBareWallMs!);
figures.analyzePlanOverJsonParseWall = round(figures.analyzePlanWallMs! / figures.nodeJsonParseWallMs!);
figures.analyzePlanOverJsonParseCpu = round(figures.analyzePlanCpuMs! / figures.nodeJsonParseCpuMs!);
for (const name of Object.keys(commands)) console.log(`${name.padEnd(14)} wall median ${figures[`${name}WallMs`]} ms, CPU ${figures[`${name}CpuMs`]} ms`);
console.log(`dataeng --help / node -e 0: ${figures.helpOverBareWall}× wall`);
console.log(`analyze-plan / JSON.parse process: ${figures.analyzePlanOverJsonParseWall}× wall, ${figures.analyzePlanOverJsonParseCpu}× CPU`);
report(figures);
