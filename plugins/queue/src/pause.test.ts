import { describe, expect, it } from 'vitest';
import { DispatchPause, type Dispatch } from './pause.js';

/** A queue in memory: jobs waiting, jobs a worker runs (they cannot be removed), and the calls' wanted jobs. */
class MemoryQueue implements Dispatch {
  readonly waiting = new Set<string>();
  readonly running = new Set<string>();
  readonly wantedIds = new Set<string>();
  readonly added: string[] = [];
  readonly removed: string[] = [];
  /** Set to hold the next removal until the test releases it. */
  gate: Promise<void> | null = null;

  async add(jobIds: readonly string[]): Promise<void> {
    for (const jobId of jobIds) {
      if (!this.wantedIds.has(jobId)) continue;
      this.added.push(jobId);
      if (!this.running.has(jobId)) this.waiting.add(jobId);
    }
  }

  async remove(jobId: string): Promise<boolean> {
    await this.gate;
    if (!this.waiting.delete(jobId)) return false;
    this.removed.push(jobId);
    return true;
  }

  wanted(jobId: string): boolean {
    return this.wantedIds.has(jobId);
  }

  want(...jobIds: string[]): this {
    for (const jobId of jobIds) this.wantedIds.add(jobId);
    return this;
  }
}

describe('pausing dispatch', () => {
  it('adds jobs at once while running, and holds them back while paused until resume', async () => {
    const queue = new MemoryQueue().want('a', 'b', 'c');
    const pause = new DispatchPause(queue);
    await pause.submit(['a']);
    pause.pause();
    await pause.submit(['b', 'c']);
    expect([...queue.waiting]).toEqual(['a']);
    await pause.submit(pause.resume());
    expect(pause.paused).toBe(false);
    expect([...queue.waiting].sort()).toEqual(['a', 'b', 'c']);
  });

  it('takes a waiting job out of the queue while paused, leaves a running one, and re-adds the removed one on resume', async () => {
    const queue = new MemoryQueue().want('waits', 'runs');
    const pause = new DispatchPause(queue);
    await pause.submit(['waits', 'runs']);
    queue.waiting.delete('runs');
    queue.running.add('runs');
    pause.pause();
    await pause.reconcile('waits', 'waiting');
    await pause.reconcile('runs', 'active');
    expect(queue.removed).toEqual(['waits']);
    expect(queue.waiting.size).toBe(0);
    const resumed = pause.resume();
    expect(resumed).toEqual(['waits']);
    await pause.submit(resumed);
    expect([...queue.waiting]).toEqual(['waits']);
  });

  it('leaves a job that another, running orchestrator added back during this pause', async () => {
    const queue = new MemoryQueue().want('shared');
    const pause = new DispatchPause(queue);
    await pause.submit(['shared']);
    pause.pause();
    await pause.reconcile('shared', 'waiting');
    queue.waiting.add('shared'); // the other run found it missing and added it again
    await pause.reconcile('shared', 'waiting');
    await pause.reconcile('shared', 'prioritized');
    expect(queue.removed).toEqual(['shared']);
    expect([...queue.waiting]).toEqual(['shared']);
  });

  it('adds a job missing from the queue again while running, but not while paused', async () => {
    const queue = new MemoryQueue().want('gone');
    const pause = new DispatchPause(queue);
    pause.pause();
    await pause.reconcile('gone', 'unknown');
    expect(queue.added).toEqual([]);
    await pause.submit(pause.resume());
    await pause.reconcile('gone', 'unknown');
    expect(queue.added).toEqual(['gone']);
  });

  it('adds a job back at once when dispatch resumed while its removal was on the way', async () => {
    const queue = new MemoryQueue().want('late');
    const pause = new DispatchPause(queue);
    await pause.submit(['late']);
    let release = (): void => {};
    queue.gate = new Promise((resolve) => (release = resolve));
    pause.pause();
    const removal = pause.reconcile('late', 'waiting');
    expect(pause.resume()).toEqual([]);
    release();
    await removal;
    expect(queue.removed).toEqual(['late']);
    expect([...queue.waiting]).toEqual(['late']);
  });

  it('forgets a job no call waits for: it is not held, nor added on resume', async () => {
    const queue = new MemoryQueue().want('kept', 'dropped', 'unwanted');
    const pause = new DispatchPause(queue);
    pause.pause();
    await pause.submit(['kept', 'dropped']);
    pause.forget('dropped');
    // Removed from the queue after its last call ended: not held back either.
    queue.waiting.add('unwanted');
    queue.wantedIds.delete('unwanted');
    await pause.reconcile('unwanted', 'waiting');
    expect(pause.resume()).toEqual(['kept']);
  });
});
