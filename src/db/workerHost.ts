// The worker-thread side: dispatches requests to handlers and sends typed failures back.
import { parentPort } from 'node:worker_threads';
import { ConnectionError, ConsentRequiredError, ExplainCancelledError, IndexBuildConsentRequiredError, RefusedStatementError, StatementError } from './errors';
import { interruptRequestOp, skipRequestOp, type WorkerFailure, type WorkerReply, type WorkerRequest } from './workerProtocol';

export type Handlers = Record<string, (args: unknown) => unknown>;

export function toFailure(err: unknown): WorkerFailure {
  if (err instanceof StatementError) {
    return { kind: 'statement', message: err.message, ...(err.code ? { code: err.code } : {}), ...(err.position !== undefined ? { position: err.position } : {}) };
  }
  if (err instanceof ConnectionError) return { kind: 'connection', message: err.causeMessage, target: err.target };
  if (err instanceof RefusedStatementError) return { kind: 'refused', message: err.reason };
  if (err instanceof ConsentRequiredError) return { kind: 'consent', message: err.statementKind, reasons: err.reasons, warnings: err.warnings };
  if (err instanceof IndexBuildConsentRequiredError) {
    return { kind: 'buildConsent', message: err.message, build: { targets: err.targets, aboveCap: err.aboveCap, capBytes: err.capBytes, kind: err.kind } };
  }
  if (err instanceof ExplainCancelledError) return { kind: 'cancelled', message: err.message, why: err.why };
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Serves requests one at a time, in order, so a handler never sees two calls at once. `interrupt`, when given, is
 * called out of turn when the host stops the running request, so the engine can stop it without losing the thread.
 */
export function serveRequests(handlers: Handlers, interrupt?: () => void): void {
  const port = parentPort;
  if (!port) throw new Error('this module runs only inside a worker thread');
  let queue = Promise.resolve();
  const skipped = new Set<number>();
  port.on('message', (req: WorkerRequest) => {
    if (req.op === skipRequestOp) {
      skipped.add(req.args as number);
      return;
    }
    if (req.op === interruptRequestOp) {
      interrupt?.();
      return;
    }
    queue = queue.then(async () => {
      // Stopped while it waited: the host has already answered it as cancelled.
      if (skipped.delete(req.id)) return;
      let reply: WorkerReply;
      try {
        const handler = handlers[req.op];
        if (!handler) throw new Error(`unknown worker operation "${req.op}"`);
        reply = { id: req.id, ok: true, value: await handler(req.args) };
      } catch (err) {
        reply = { id: req.id, ok: false, error: toFailure(err) };
      }
      port.postMessage(reply);
    });
  });
}
