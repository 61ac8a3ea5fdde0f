// The extension-host side of a database worker thread: requests with ids, a timeout and an AbortSignal per
// request. Stopping the running request terminates the worker, so a long native or WASM call can never block the
// host; requests queued behind it did not start and go to a fresh worker. Stopping a queued request only drops it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConnectionError, ConsentRequiredError, ExplainCancelledError, IndexBuildConsentRequiredError, RefusedStatementError, StatementError } from './errors';
import { interruptRequestOp, skipRequestOp, type WorkerFailure, type WorkerReply, type WorkerRequest } from './workerProtocol';

export interface WorkerRequestOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

interface Pending {
  /** The worker serving it; undefined while it moves to a fresh worker. */
  worker: Worker | undefined;
  message: WorkerRequest;
  resolve(value: unknown): void;
  reject(error: Error): void;
  cleanup(): void;
}

/** Finds a worker bundle: next to the running bundle (dist/), or dist/ when running from source (tests). */
export function resolveWorkerFile(name: string, workerDir?: string): string {
  const candidates = [workerDir, __dirname, join(__dirname, '..', '..', 'dist')].filter((d): d is string => !!d).map((d) => join(d, `${name}.js`));
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`worker bundle ${name}.js not found (looked in ${candidates.join(', ')}); run npm run build`);
  return found;
}

/** The worker thread died (crashed, exited, or was terminated from outside) while a request was pending. */
export class WorkerExitedError extends Error {
  override readonly name = 'WorkerExitedError';
}

export function reviveError(failure: WorkerFailure): Error {
  switch (failure.kind) {
    case 'statement':
      return new StatementError(failure.message, failure.code, failure.position);
    case 'connection':
      return new ConnectionError(failure.target ?? { driver: 'unknown' }, failure.message);
    case 'refused':
      return new RefusedStatementError(failure.message);
    case 'consent':
      return new ConsentRequiredError(failure.message, failure.reasons ?? [], failure.warnings ?? []);
    case 'buildConsent': {
      const b = failure.build ?? { targets: [], aboveCap: false, capBytes: 0, kind: 'build' as const };
      return new IndexBuildConsentRequiredError(b.targets, b.aboveCap, b.capBytes, b.kind);
    }
    case 'cancelled':
      return new ExplainCancelledError(failure.why ?? 'cancelled', failure.message);
    default:
      return new Error(failure.message);
  }
}

export interface WorkerClientOptions {
  /**
   * The engine can interrupt its running query (DuckDB): a stopped running request is interrupted inside the worker,
   * and the thread is terminated only when the worker has not answered it within this many milliseconds.
   */
  interruptGraceMs?: number;
}

export class WorkerClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private terminating: Promise<void> | undefined;
  /** Requests being interrupted (already answered as stopped): their fallback timers, until the worker replies. */
  private readonly interrupting = new Map<number, NodeJS.Timeout>();

  constructor(
    private readonly file: string,
    private readonly workerData: unknown,
    private readonly describe: string,
    private readonly options: WorkerClientOptions = {},
  ) {}

  get busy(): boolean {
    return this.pending.size > 0;
  }

  private spawn(): Worker {
    const worker = new Worker(this.file, { workerData: this.workerData });
    worker.on('message', (reply: WorkerReply) => {
      const fallback = this.interrupting.get(reply.id);
      if (fallback) {
        // The interrupted request came back: the thread is free again, and requests queued behind it run on it.
        clearTimeout(fallback);
        this.interrupting.delete(reply.id);
      }
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      p.cleanup();
      if (reply.ok) p.resolve(reply.value);
      else p.reject(reviveError(reply.error));
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = undefined;
      // Only this worker's requests: a replacement worker may already be serving new ones.
      for (const [id, p] of this.pending) {
        if (p.worker !== worker) continue;
        this.pending.delete(id);
        p.cleanup();
        p.reject(error);
      }
    };
    worker.on('error', (err) => fail(new WorkerExitedError(`${this.describe} worker failed: ${err.message}`)));
    worker.on('exit', (code) => fail(new WorkerExitedError(`${this.describe} worker exited (code ${code})`)));
    // The worker must never keep the CLI process alive on its own.
    worker.unref();
    return worker;
  }

  async request<T>(op: string, args: unknown, options: WorkerRequestOptions = {}): Promise<T> {
    if (options.signal?.aborted) throw new ExplainCancelledError('cancelled', `${this.describe}: cancelled before it started`);
    // A stopped worker must be gone before its replacement opens the same files.
    await this.terminating;
    if (options.signal?.aborted) throw new ExplainCancelledError('cancelled', `${this.describe}: cancelled before it started`);
    this.worker ??= this.spawn();
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const stop = (why: 'timeout' | 'cancelled'): void => {
        const entry = this.pending.get(id);
        if (!entry) return;
        this.pending.delete(id);
        cleanup();
        reject(new ExplainCancelledError(why, why === 'timeout' ? `${this.describe}: stopped after ${options.timeoutMs} ms` : `${this.describe}: cancelled`));
        this.stopOne(id, entry);
      };
      const onAbort = (): void => stop('cancelled');
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      };
      if (options.timeoutMs && options.timeoutMs > 0) timer = setTimeout(() => stop('timeout'), options.timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const message: WorkerRequest = { id, op, args };
      this.pending.set(id, { worker, message, resolve: (v) => resolve(v as T), reject, cleanup });
      worker.ref();
      worker.postMessage(message);
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref();
    });
  }

  /**
   * A worker serves its requests one at a time, in id order, so the oldest pending one is the one running. A stopped
   * request queued behind it is skipped by the worker; a stopped running one can only be interrupted by terminating
   * the thread, and the requests queued behind it — which never started — are sent again to a fresh worker.
   */
  private stopOne(id: number, entry: Pending): void {
    const worker = entry.worker;
    if (!worker) return;
    const running = ![...this.pending].some(([other, p]) => p.worker === worker && other < id);
    if (!running) {
      worker.postMessage({ id: 0, op: skipRequestOp, args: id } satisfies WorkerRequest);
      return;
    }
    const grace = this.options.interruptGraceMs;
    if (grace !== undefined) {
      worker.postMessage({ id: 0, op: interruptRequestOp, args: id } satisfies WorkerRequest);
      const timer = setTimeout(() => {
        this.interrupting.delete(id);
        if (this.worker === worker || [...this.pending.values()].some((p) => p.worker === worker)) void this.replace(worker);
      }, grace);
      timer.unref();
      this.interrupting.set(id, timer);
      return;
    }
    void this.replace(worker);
  }

  private async replace(worker: Worker): Promise<void> {
    const moving = [...this.pending.values()].filter((p) => p.worker === worker);
    // Detached first, so the old worker's exit does not fail them.
    for (const p of moving) p.worker = undefined;
    if (this.worker === worker) this.worker = undefined;
    await this.stopThread(worker);
    if (!moving.some((p) => this.pending.get(p.message.id) === p)) return;
    const fresh = (this.worker ??= this.spawn());
    for (const p of moving) {
      if (this.pending.get(p.message.id) !== p) continue;
      p.worker = fresh;
      fresh.ref();
      fresh.postMessage(p.message);
    }
  }

  /** Terminates a thread; a replacement waits for it (see request()), so two never open the same files. */
  private stopThread(worker: Worker): Promise<void> {
    const done: Promise<void> = worker.terminate().then(
      () => {
        if (this.terminating === done) this.terminating = undefined;
      },
      () => {
        if (this.terminating === done) this.terminating = undefined;
      },
    );
    this.terminating = done;
    return done;
  }

  /** Stops the worker; every pending request fails as cancelled. */
  async terminate(): Promise<void> {
    for (const timer of this.interrupting.values()) clearTimeout(timer);
    this.interrupting.clear();
    const worker = this.worker;
    this.worker = undefined;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.cleanup();
      p.reject(new ExplainCancelledError('cancelled', `${this.describe}: cancelled`));
    }
    if (!worker) return this.terminating;
    await this.stopThread(worker);
  }
}
