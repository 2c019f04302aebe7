import { mean } from '@evopt/core';
import type { TuiState } from './state.js';

/** Time since this session of the run started; frozen at its end. */
export function elapsedMs(state: TuiState, now: number): number | null {
  if (!state.startedAt) return null;
  const end = state.endedAt ? Date.parse(state.endedAt) : now;
  return Math.max(0, end - Date.parse(state.startedAt));
}

/** Evaluations per second measured over this session, or null before two evaluations are timed. */
export function throughput(state: TuiState): number | null {
  const { since, lastAt, finished } = state.throughput;
  if (since === null || lastAt === null || finished === 0 || lastAt <= since) return null;
  return finished / ((lastAt - since) / 1000);
}

/**
 * Evaluations still to run: the rest of this generation, then each later generation at the mean
 * of what generations after the first needed (the first has no elites to take from the cache).
 */
export function remainingEvaluations(state: TuiState): number | null {
  const { run, current } = state;
  if (!run || !current) return null;
  const later = state.planned.slice(1).filter((n): n is number => typeof n === 'number');
  const perGeneration = later.length > 0 ? mean(later) : current.toEvaluate;
  const left = current.done ? 0 : Math.max(0, current.toEvaluate - current.evaluated);
  return left + Math.max(0, run.generations - current.generation - 1) * perGeneration;
}

/** Time to the end of the run at the measured throughput; null when it cannot be estimated. */
export function etaMs(state: TuiState): number | null {
  if (state.phase !== 'running') return null;
  const rate = throughput(state);
  const remaining = remainingEvaluations(state);
  if (rate === null || remaining === null) return null;
  return (remaining / rate) * 1000;
}
