// Small helpers shared by the benchmarks: timing with warm-up, and the RESULT line bench/run.mjs collects.

export interface Timing {
  runs: number;
  minMs: number;
  medianMs: number;
  p95Ms: number;
}

export function time(fn: () => void, { warmup = 3, runs = 15 } = {}): Timing {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

export async function timeAsync(fn: () => Promise<void>, { warmup = 3, runs = 15 } = {}): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

export function summarize(samples: number[]): Timing {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { runs: s.length, minMs: round(s[0]!), medianMs: round(at(0.5)), p95Ms: round(at(0.95)) };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Prints the figures as the last RESULT line, which bench/run.mjs collects. */
export function report(figures: Record<string, unknown>): void {
  console.log(`RESULT ${JSON.stringify(figures)}`);
}
