import type { EvaluationRequest, EvaluationSink } from '../evaluation.js';
import type { Evaluator, EvaluatorContext } from '../plugin/contracts.js';
import { evaluationAborted, evaluatorMisuse } from './errors.js';
import { TaskHost } from './task-host.js';

/** The worker name inline records carry. */
export const INLINE_WORKER = 'inline';

/**
 * Evaluates requests one at a time on the calling thread. Training blocks the thread, so this
 * evaluator is for tests and debugging (a task's stack trace is right there); runs use the
 * worker pool. Its records equal the pool's, apart from `durationMs` and `worker`.
 * Overlapping calls take turns in the order they arrived, so two trainings never interleave.
 */
export class InlineEvaluator implements Evaluator {
  readonly id = 'inline';
  readonly workers = 1;
  readonly concurrent = true;
  private readonly host: TaskHost;
  private closed = false;
  private sink: EvaluationSink | null = null;
  /** Settles when the last call that arrived has finished (or given up its turn). */
  private turn: Promise<void> = Promise.resolve();
  /** Resolves when dispatch resumes; null while not paused. */
  private gate: { promise: Promise<void>; open: () => void } | null = null;

  constructor(context: EvaluatorContext) {
    this.host = new TaskHost({ ...context, report: (info) => this.sink?.workerInfo?.(INLINE_WORKER, info) });
  }

  /**
   * Waits for the calls before it, then evaluates each request in order. When `signal` aborts,
   * the request in progress gets no record (it is redone on resume), a call still waiting runs
   * nothing, and the promise rejects with an ABORTED error.
   */
  async evaluate(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal?: AbortSignal): Promise<void> {
    if (this.closed) throw evaluatorMisuse(this.id, 'is closed', 'Create a new evaluator; close() is final.');
    let release = () => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    // The next call waits for this one and every call before it, even if this one gives up its turn early.
    const before = this.turn;
    this.turn = Promise.all([before, mine]).then(() => undefined);
    try {
      await untilAborted(before, signal);
      if (signal?.aborted || this.closed) throw evaluationAborted(this.id);
      await this.run(requests, sink, signal);
    } finally {
      release();
    }
  }

  /** While paused, the next request waits; the one in progress finishes. */
  setPaused(paused: boolean): void {
    if (paused && !this.gate) {
      let open = () => {};
      const promise = new Promise<void>((resolve) => (open = resolve));
      this.gate = { promise, open };
    } else if (!paused && this.gate) {
      this.gate.open();
      this.gate = null;
    }
  }

  /** Disposes the tasks created so far. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.host.dispose();
  }

  private async run(
    requests: readonly EvaluationRequest[],
    sink: EvaluationSink,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    this.sink = sink;
    sink.workerStatus?.(INLINE_WORKER, 'busy');
    try {
      for (const request of requests) {
        if (this.gate) await untilAborted(this.gate.promise, signal);
        if (signal?.aborted) throw evaluationAborted(this.id);
        const [record] = await this.host.evaluate([request], INLINE_WORKER, {
          started: (r) => sink.started(r, INLINE_WORKER),
          progress: (r, progress) => sink.progress(r, INLINE_WORKER, progress),
          ...(signal ? { signal } : {}),
        });
        if (signal?.aborted) throw evaluationAborted(this.id);
        if (record) sink.finished(record);
      }
    } finally {
      sink.workerStatus?.(INLINE_WORKER, 'idle');
    }
  }
}

/** Resolves when `promise` does or `signal` aborts, whichever is first; leaves no listener on the signal. */
async function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  if (signal.aborted) return;
  let onAbort = () => {};
  const aborted = new Promise<void>((resolve) => (onAbort = resolve));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
