// Parses and analyzes a plan, off the main thread when it is large: a 20 MB plan takes a noticeable fraction of a
// second to parse, which must not freeze the extension host. Small plans stay in-line, where a worker's startup
// (tens of milliseconds) would cost more than it saves.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Finding } from '../core/findings';
import { analyzePlan } from '../core/plan/analyze';
import type { Plan } from '../core/plan/model';
import { PlanParseError } from '../core/plan/model';
import type { ParseHint } from '../core/plan/parse';
import { parsePlan } from '../core/plan/parse';
import type { PlanWorkerRequest, PlanWorkerResponse } from './planWorker';

/** Inputs above this many UTF-16 code units (about 1 MB of text) go to a worker. */
export const OFF_THREAD_THRESHOLD = 1_000_000;

export interface OffThreadOptions {
  hint?: ParseHint;
  /** The bundled worker script; defaults to planWorker.js next to the running bundle (dist/). */
  workerFile?: string;
  /** Overrides OFF_THREAD_THRESHOLD (tests use it to force either path). */
  threshold?: number;
  signal?: AbortSignal;
}

export interface AnalyzedPlan {
  plan: Plan;
  findings: Finding[];
  /** True when the work ran in a worker thread. */
  offThread: boolean;
}

function inline(text: string, hint: ParseHint): AnalyzedPlan {
  const plan = parsePlan(text, hint);
  return { plan, findings: analyzePlan(plan), offThread: false };
}

export async function analyzePlanOffThread(text: string, options: OffThreadOptions = {}): Promise<AnalyzedPlan> {
  const hint = options.hint ?? {};
  if (text.length <= (options.threshold ?? OFF_THREAD_THRESHOLD)) return inline(text, hint);
  options.signal?.throwIfAborted();
  const worker = new Worker(options.workerFile ?? join(__dirname, 'planWorker.js'));
  try {
    const response = await new Promise<PlanWorkerResponse>((resolve, reject) => {
      const onAbort = () => {
        // The caller's reason is passed on when it is an Error (abort() without one gives an AbortError); any other
        // reason travels as the cause of a plain cancellation error.
        const reason: unknown = options.signal?.reason;
        reject(reason instanceof Error ? reason : new Error('plan analysis cancelled', { cause: reason }));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      worker.once('message', (m: PlanWorkerResponse) => resolve(m));
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`plan worker exited with code ${code} before answering`)));
      const request: PlanWorkerRequest = { text, hint };
      worker.postMessage(request);
    });
    if (response.ok) return { plan: response.plan as Plan, findings: response.findings as Finding[], offThread: true };
    if (response.retryInline) return inline(text, hint);
    throw response.error.parseError ? new PlanParseError(response.error.message) : new Error(response.error.message);
  } finally {
    void worker.terminate();
  }
}
