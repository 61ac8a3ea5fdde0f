// How an explain's transaction ended, said truthfully. `rolledBack` is true only when our own ROLLBACK succeeded.
// When the session died first (server restart, terminated backend, a session we had to close), the server aborts the
// open transaction itself — nothing is committed either way, but the result and the error say which one happened.
import { ExplainCancelledError } from './errors';

export interface TransactionEnd {
  rolledBack: boolean;
  /** A clause for messages: what happened to the transaction. */
  note: string;
}

export const rolledBackEnd: TransactionEnd = { rolledBack: true, note: 'the transaction was rolled back' };

/** PostgreSQL over the network: the backend is gone or we closed its connection before ROLLBACK. */
export const serverAbortedEnd: TransactionEnd = {
  rolledBack: false,
  note: 'the session ended before ROLLBACK could run, so the server aborted the transaction: nothing was committed',
};

/**
 * The error an explain reports: a stop (timeout, cancel) says so and how the transaction ended; a server-side timeout
 * gets the same note; any failure after which our ROLLBACK could not run means the session ended (`lost`); anything
 * else is the statement's own error, after a successful ROLLBACK.
 */
export function explainFailure(error: Error, end: TransactionEnd, stopped: 'timeout' | 'cancelled' | undefined, lost: (cause: string) => Error): Error {
  if (stopped) {
    return new ExplainCancelledError(stopped, `the explain was ${stopped === 'timeout' ? 'stopped by the timeout' : 'cancelled'}; ${end.note}`, end.rolledBack);
  }
  if (error instanceof ExplainCancelledError) return new ExplainCancelledError(error.why, `${error.message}; ${end.note}`, end.rolledBack);
  if (!end.rolledBack) return lost(error.message);
  return error;
}

/** The result's warnings, with a note when the transaction ended some other way than our ROLLBACK. */
export function warningsAfter(warnings: readonly string[], end: TransactionEnd): string[] {
  return end.rolledBack ? [...warnings] : [...warnings, `ROLLBACK did not run: ${end.note}.`];
}
