import type { EvaluationSink } from '@evopt/core';
import { REDIS_WORKER } from './connection.js';

/**
 * Tells the run that Redis was lost and that it is back, once each, as the `redis` worker's
 * status (the TUI's workers panel, the plain printer) and in the log. ioredis reconnects by itself
 * and holds commands until then, so an outage pauses the run instead of failing it. With calls
 * overlapping, the newest one's sink hears it; lost while no call runs, the next call hears it.
 */
export class OutageReporter {
  private outage: { readonly since: number; readonly message: string; reported: boolean } | null = null;
  /** The end of a reported outage that came while no call was in progress. */
  private unreportedReturn: string | null = null;

  constructor(
    private readonly display: string,
    private readonly log: (message: string) => void,
    private readonly newestSink: () => EvaluationSink | undefined,
  ) {}

  /** While true, connection errors are part of the reported outage and need no log line each. */
  get down(): boolean {
    return this.outage !== null;
  }

  lost(): void {
    if (this.outage !== null) return;
    const message = `Redis unreachable at ${this.display}; waiting for it (finished evaluations are journaled)…`;
    const sink = this.newestSink();
    this.outage = { since: Date.now(), message, reported: sink !== undefined };
    // The 'warning' prefix makes the TUI show it as a warning; plain output prints it to stderr as is.
    this.log(`warning: queue: ${message}`);
    sink?.workerStatus?.(REDIS_WORKER, 'stopped', message);
  }

  back(): void {
    if (this.outage === null) return;
    const { since, reported } = this.outage;
    this.outage = null;
    const message = `Redis at ${this.display} is back after ${((Date.now() - since) / 1000).toFixed(1)}s; the run continues`;
    this.log(`queue: ${message}`);
    if (!reported) return;
    const sink = this.newestSink();
    if (sink) sink.workerStatus?.(REDIS_WORKER, 'ready', message);
    else this.unreportedReturn = message;
  }

  /** A call started: it hears what happened to the connection while none was running. */
  callStarted(sink: EvaluationSink): void {
    if (this.unreportedReturn !== null) sink.workerStatus?.(REDIS_WORKER, 'ready', this.unreportedReturn);
    this.unreportedReturn = null;
    if (this.outage && !this.outage.reported) {
      this.outage.reported = true;
      sink.workerStatus?.(REDIS_WORKER, 'stopped', this.outage.message);
    }
  }
}
