// The worker_threads entry (bundled as dist/planWorker.js): parses and analyzes one plan off the main thread.
// It receives {text, hint} and answers with {ok: true, plan, findings} or {ok: false, error}.
import { parentPort } from 'node:worker_threads';
import { analyzePlan } from '../core/plan/analyze';
import { PlanParseError } from '../core/plan/model';
import type { ParseHint } from '../core/plan/parse';
import { parsePlan } from '../core/plan/parse';

export interface PlanWorkerRequest {
  text: string;
  hint: ParseHint;
}

export type PlanWorkerResponse =
  | { ok: true; plan: unknown; findings: unknown }
  | { ok: false; error: { parseError: boolean; message: string }; retryInline?: boolean };

parentPort?.once('message', (req: PlanWorkerRequest) => {
  let response: PlanWorkerResponse;
  try {
    const plan = parsePlan(req.text, req.hint);
    response = { ok: true, plan, findings: analyzePlan(plan) };
  } catch (err) {
    response = { ok: false, error: { parseError: err instanceof PlanParseError, message: err instanceof Error ? err.message : String(err) } };
  }
  try {
    parentPort!.postMessage(response);
  } catch (err) {
    // Structured clone recurses; a pathologically deep tree can exceed its limits. The caller then works in-line,
    // where every walk is iterative.
    parentPort!.postMessage({ ok: false, retryInline: true, error: { parseError: false, message: err instanceof Error ? err.message : String(err) } });
  }
});
