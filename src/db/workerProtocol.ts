// Messages between a database worker thread and the extension host (both directions).
export interface WorkerRequest {
  id: number;
  op: string;
  args: unknown;
}

/** Sent with the id of a queued request (as `args`) that was stopped before it started: the worker never runs it. */
export const skipRequestOp = '$skip';

/**
 * Sent with the id of the running request (as `args`) to a worker whose engine can interrupt a query (DuckDB): the
 * worker interrupts it at once, out of turn, and the thread survives. Terminating the thread is the fallback.
 */
export const interruptRequestOp = '$interrupt';

export interface WorkerFailure {
  kind: 'statement' | 'connection' | 'refused' | 'consent' | 'buildConsent' | 'cancelled' | 'other';
  /** For `consent`: the statement kind; `reasons` and `warnings` carry the rest of ConsentRequiredError. */
  message: string;
  reasons?: string[];
  warnings?: string[];
  code?: string;
  position?: number;
  target?: { driver: string; file?: string; host?: string; port?: number };
  /** For `buildConsent`: the IndexBuildConsentRequiredError's fields. */
  build?: { targets: { name: string; bytes: number | null; rows: number | null }[]; aboveCap: boolean; capBytes: number; kind: 'build' | 'copy' };
  /** For `cancelled`: a statement timeout the database itself reported. */
  why?: 'timeout' | 'cancelled';
}

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WorkerFailure };
