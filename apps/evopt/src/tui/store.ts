import { initialState, reduceAll, type TuiInput, type TuiState } from './state.js';

/** How often queued events reach the screen: often enough to look live, rarely enough to cost nothing. */
export const FLUSH_INTERVAL_MS = 50;

/**
 * Holds the view model for React (`useSyncExternalStore`). `push` only queues, so a bus listener
 * returns at once and the run never waits for the UI; `flush` folds the queue through the reducer
 * and tells subscribers once per batch.
 */
export class TuiStore {
  private state: TuiState;
  private queue: TuiInput[] = [];
  private readonly subscribers = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(state: TuiState = initialState()) {
    this.state = state;
  }

  push(input: TuiInput): void {
    this.queue.push(input);
  }

  flush(): void {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.state = reduceAll(this.state, batch);
    for (const subscriber of this.subscribers) subscriber();
  }

  /** Flushes every `intervalMs` until `stop`; the timer does not keep the process alive. */
  start(intervalMs = FLUSH_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  /** Stops the timer and delivers what is still queued. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.flush();
  }

  readonly subscribe = (subscriber: () => void): (() => void) => {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  };

  readonly getSnapshot = (): TuiState => this.state;
}
