import type { EvaluationRecord } from '@evopt/core';
import type { GenerationRow, LogEntry, LogKind, TuiState, WorkerView } from './state.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A copy of the state for one batch; each collection is copied on its first write. */
export class Draft {
  readonly s: Mutable<TuiState>;
  private readonly copied = new Set<keyof TuiState>();

  constructor(state: TuiState) {
    this.s = { ...state };
  }

  /** Gives this draft its own copy of a collection before the first write to it. */
  private own<K extends keyof TuiState>(key: K, clone: (value: TuiState[K]) => TuiState[K]): void {
    if (this.copied.has(key)) return;
    this.s[key] = clone(this.s[key]);
    this.copied.add(key);
  }

  workers(): Map<string, WorkerView> {
    this.own('workers', (w) => new Map(w));
    return this.s.workers as Map<string, WorkerView>;
  }

  records(): Map<string, readonly EvaluationRecord[]> {
    this.own('records', (r) => new Map(r));
    return this.s.records as Map<string, readonly EvaluationRecord[]>;
  }

  formulas(): Map<string, string> {
    this.own('formulas', (f) => new Map(f));
    return this.s.formulas as Map<string, string>;
  }

  history(): GenerationRow[] {
    this.own('history', (h) => [...h]);
    return this.s.history as GenerationRow[];
  }

  planned(): number[] {
    this.own('planned', (p) => [...p]);
    return this.s.planned as number[];
  }

  log(time: string, kind: LogKind, text: string): void {
    this.own('log', (l) => [...l]);
    const log = this.s.log as LogEntry[];
    // A checkpoint follows every generation: only the latest is worth a line, or they would push
    // the new bests and failures off the screen.
    if (kind === 'checkpoint') {
      const previous = log.findIndex((entry) => entry.kind === 'checkpoint');
      if (previous >= 0) log.splice(previous, 1);
    }
    this.s.logged += 1;
    log.push({ id: this.s.logged, time, kind, text });
  }

  worker(name: string, change: (worker: WorkerView) => WorkerView): void {
    const workers = this.workers();
    workers.set(name, change(workers.get(name) ?? { name, status: 'ready', backend: null, current: null }));
  }

  /** The state, with at most `logLimit` log entries, the latest. */
  finish(logLimit: number): TuiState {
    if (this.s.log.length > logLimit) this.s.log = this.s.log.slice(-logLimit);
    return this.s;
  }
}
