// The evaluate() calls in progress, and which jobs each waits for: the queue evaluator's bookkeeping.
import {
  evaluationAborted,
  type EvaluationProgress,
  type EvaluationRecord,
  type EvaluationRequest,
  type EvaluationSink,
} from '@evopt/core';

/** One evaluate() in progress. */
export interface Call {
  readonly sink: EvaluationSink;
  /** Its unfinished jobs → the requests each answers (more than one when the call repeats a request). */
  readonly jobs: Map<string, { readonly requests: EvaluationRequest[]; started: boolean }>;
  /** A job that failed before this moment failed in an earlier run: it gets one fresh set of tries. */
  readonly began: number;
  readonly retried: Set<string>;
  /** Settles when every job has a record, or rejects on the first error (abort, version refusal, Redis). */
  readonly outcome: Promise<void>;
  done(): void;
  fail(error: Error): void;
}

/**
 * The calls in progress (oldest first) and, per unfinished job, the calls waiting for it. Several
 * calls may wait for one job; each gets its record once. Calls that share an abort signal share
 * one listener on it.
 */
export class CallBook {
  private readonly calls = new Set<Call>();
  /** Unfinished job id → the calls waiting for it. */
  private readonly waiters = new Map<string, Set<Call>>();
  /** One abort listener per signal, however many calls share it. */
  private readonly signals = new Map<AbortSignal, { readonly calls: Set<Call>; readonly onAbort: () => void }>();

  /** `dropped` hears of each job no call waits for any more (settled, or its last call gone). */
  constructor(
    private readonly evaluatorId: string,
    private readonly dropped: (jobId: string) => void,
  ) {}

  /** True while some call waits for some job. */
  get waiting(): boolean {
    return this.waiters.size > 0;
  }

  /** The newest call in progress: connection changes are reported to it. */
  newest(): Call | undefined {
    return [...this.calls].at(-1);
  }

  /** The jobs some call waits for. */
  jobIds(): string[] {
    return [...this.waiters.keys()];
  }

  waitsFor(jobId: string): boolean {
    return this.waiters.has(jobId);
  }

  /** The calls waiting for the job (none once it is settled). */
  callsFor(jobId: string): ReadonlySet<Call> | undefined {
    return this.waiters.get(jobId);
  }

  open(sink: EvaluationSink, signal: AbortSignal | undefined): Call {
    let done = (): void => {};
    let fail: (error: Error) => void = () => {};
    const outcome = new Promise<void>((resolve, reject) => ((done = resolve), (fail = reject)));
    outcome.catch(() => undefined);
    const call: Call = {
      sink,
      jobs: new Map(),
      began: Date.now(),
      retried: new Set(),
      outcome,
      done: () => done(),
      fail: (error) => fail(error),
    };
    this.calls.add(call);
    if (this.calls.size === 1) sink.workerStatus?.('queue', 'busy');
    if (signal) {
      let shared = this.signals.get(signal);
      if (!shared) {
        const calls = new Set<Call>();
        const onAbort = (): void => {
          for (const c of calls) c.fail(evaluationAborted(this.evaluatorId));
        };
        shared = { calls, onAbort };
        this.signals.set(signal, shared);
        signal.addEventListener('abort', onAbort, { once: true });
      }
      shared.calls.add(call);
    }
    return call;
  }

  /** Makes the call wait for the job too; false when it already did (a repeated request joins it). */
  join(call: Call, jobId: string, request: EvaluationRequest): boolean {
    const known = call.jobs.get(jobId);
    if (known) {
      known.requests.push(request);
      return false;
    }
    call.jobs.set(jobId, { requests: [request], started: false });
    let waiting = this.waiters.get(jobId);
    if (!waiting) this.waiters.set(jobId, (waiting = new Set()));
    waiting.add(call);
    return true;
  }

  /** Ends a call's claim on its jobs and its signal. */
  forget(call: Call): void {
    if (!this.calls.delete(call)) return;
    for (const jobId of call.jobs.keys()) {
      const waiting = this.waiters.get(jobId);
      waiting?.delete(call);
      if (waiting?.size === 0) this.drop(jobId);
    }
    for (const [signal, shared] of this.signals) {
      if (!shared.calls.delete(call) || shared.calls.size > 0) continue;
      signal.removeEventListener('abort', shared.onAbort);
      this.signals.delete(signal);
    }
    if (this.calls.size === 0) call.sink.workerStatus?.('queue', 'idle');
  }

  /** Gives every call waiting for the job its record, once; a call with all its records is done. False when it was settled before. */
  settle(jobId: string, record: EvaluationRecord): boolean {
    const calls = this.waiters.get(jobId);
    if (!calls) return false; // already recorded: a job's result is stored once
    this.drop(jobId);
    for (const call of calls) {
      const entry = call.jobs.get(jobId);
      if (!entry) continue;
      call.jobs.delete(jobId);
      try {
        for (const request of entry.requests) {
          if (!entry.started) call.sink.started(request, record.worker);
          call.sink.finished(record);
        }
      } catch (error) {
        call.fail(error as Error);
        continue;
      }
      if (call.jobs.size === 0) call.done();
    }
    return true;
  }

  /** A job's progress, to each call waiting for it; the first report starts its requests. */
  progress(jobId: string, worker: string, progress: EvaluationProgress): void {
    for (const call of this.waiters.get(jobId) ?? []) {
      const entry = call.jobs.get(jobId);
      if (!entry) continue;
      try {
        for (const request of entry.requests) {
          if (!entry.started) call.sink.started(request, worker);
          call.sink.progress(request, worker, progress);
        }
        entry.started = true;
      } catch (error) {
        call.fail(error as Error);
      }
    }
  }

  /** Fails every call waiting for one of the jobs. */
  fail(jobIds: readonly string[], error: Error): void {
    for (const jobId of jobIds) for (const call of this.waiters.get(jobId) ?? []) call.fail(error);
  }

  /** Fails every call in progress. */
  failAll(error: Error): void {
    for (const call of this.calls) call.fail(error);
  }

  private drop(jobId: string): void {
    this.waiters.delete(jobId);
    this.dropped(jobId);
  }
}

/** `work`, unless the call ends first (aborted, or failed by another job); a late failure of `work` is then ignored. */
export function within<T>(work: Promise<T>, call: Call): Promise<T> {
  work.catch(() => undefined);
  return Promise.race([work, call.outcome.then(() => work)]);
}
