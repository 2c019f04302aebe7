import type { EvaluationKey, EvaluationRecord } from '../evaluation.js';
import { evaluationKeyString } from '../evaluation.js';
import type { EvoptEvent } from '../events.js';

/**
 * Finished evaluations by (genome hash, task, seed index, steps). Filled from the journal on
 * resume, so no finished evaluation is ever redone; elites and re-discovered genomes hit it too.
 */
export class EvaluationCache {
  private readonly records = new Map<string, EvaluationRecord>();

  /**
   * The journal's records, except failed ones (an exception, a crashed worker, a missing dataset):
   * those are retried on resume, which is how "fix the cause, then resume" works.
   */
  static fromEvents(events: readonly EvoptEvent[]): EvaluationCache {
    const cache = new EvaluationCache();
    for (const event of events)
      if (event.type === 'evaluation-finished' && event.record.status !== 'failed') cache.set(event.record);
    return cache;
  }

  get(key: EvaluationKey): EvaluationRecord | undefined {
    return this.records.get(evaluationKeyString(key));
  }

  has(key: EvaluationKey): boolean {
    return this.records.has(evaluationKeyString(key));
  }

  /** A record that arrives twice (a retried job) is stored once: the first one wins. */
  set(record: EvaluationRecord): boolean {
    const key = evaluationKeyString(record);
    if (this.records.has(key)) return false;
    this.records.set(key, record);
    return true;
  }

  get size(): number {
    return this.records.size;
  }
}
