// Pausing one run's dispatch on a queue that other runs may share, so the BullMQ queue itself is never paused.
import type { JobState } from 'bullmq';

/** What the pause protocol does to Redis. */
export interface Dispatch {
  /** Adds the jobs that some call still waits for; an id already in Redis is left as it is. */
  add(jobIds: readonly string[]): Promise<void>;
  /** Takes a waiting job out of Redis: true when it was removed (false when a worker took it first). */
  remove(jobId: string): Promise<boolean>;
  /** Whether some call still waits for the job. */
  wanted(jobId: string): boolean;
}

/**
 * While paused, jobs not yet added are held back, and jobs still waiting in Redis are taken out
 * (and held back) as lookups find them; running jobs finish. On resume everything held back is
 * added again, which is idempotent since job ids are deterministic.
 *
 * A job removed during this pause that is back in Redis was added again by another run that
 * waits for the same job and is not paused: it stays, rather than being removed every poll. And a
 * job missing from Redis while this run is not paused (removed by another paused run, or
 * expired) is added again.
 */
export class DispatchPause {
  private pausedNow = false;
  /** Jobs to add on resume. */
  private readonly held = new Set<string>();
  /** Jobs this pause took out of Redis. */
  private readonly removed = new Set<string>();

  constructor(private readonly dispatch: Dispatch) {}

  get paused(): boolean {
    return this.pausedNow;
  }

  /** Adds jobs, or holds them back while paused. */
  async submit(jobIds: readonly string[]): Promise<void> {
    if (this.pausedNow) {
      for (const jobId of jobIds) this.held.add(jobId);
      return;
    }
    await this.dispatch.add(jobIds);
  }

  pause(): void {
    this.pausedNow = true;
  }

  /** Ends the pause; returns the jobs held back, for the caller to {@link submit} (and report a failure of). */
  resume(): string[] {
    this.pausedNow = false;
    const ids = [...this.held];
    this.held.clear();
    this.removed.clear();
    return ids;
  }

  /** Acts on a lookup of a job that is not over: while paused, takes it out if it waits; else adds it if it is missing. */
  async reconcile(jobId: string, state: JobState | 'unknown'): Promise<void> {
    if (this.pausedNow && (state === 'waiting' || state === 'prioritized') && !this.removed.has(jobId))
      return this.holdBack(jobId);
    if (state === 'unknown' && !this.pausedNow && !this.held.has(jobId)) await this.submit([jobId]);
  }

  /** No call waits for the job any more. */
  forget(jobId: string): void {
    this.held.delete(jobId);
    this.removed.delete(jobId);
  }

  /** Takes a waiting job out of Redis until resume. If a worker took it meanwhile, removal fails and it simply runs. */
  private async holdBack(jobId: string): Promise<void> {
    if (!(await this.dispatch.remove(jobId)) || !this.dispatch.wanted(jobId)) return;
    // Resumed while the removal was on its way: add it back now.
    if (!this.pausedNow) return this.submit([jobId]);
    this.held.add(jobId);
    this.removed.add(jobId);
  }
}
