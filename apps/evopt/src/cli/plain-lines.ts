// The text of the plain printer's lines, one function per event: pure, so each reads on its own.
import { formatNumber, percentVs, renderHyperparameters, type EvoptEvent } from '@evopt/core';

type EventOf<T extends EvoptEvent['type']> = Extract<EvoptEvent, { type: T }>;

/** A fitness with four decimals; NaN and ±Infinity as words. */
export const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function runStartedLine(event: EventOf<'run-started'>): string {
  const mode = event.mode === 'steady-state' ? ' (steady-state)' : '';
  return [
    `evopt ${event.resumed ? 'resuming' : 'run'} ${event.runId}`,
    `preset ${event.preset ?? 'none'}`,
    `seed ${event.seed}`,
    `${event.populationSize} genomes × ${event.generations} generations${mode}`,
    `${event.tasks.join(', ')} × ${event.seeds} seed(s) × ${event.steps} steps`,
    event.workers === undefined ? event.evaluator : `${event.evaluator} (${plural(event.workers, 'worker')})`,
  ].join(' · ');
}

export function generationStartedLine(event: EventOf<'generation-started'>, generations: number): string {
  const work = `${event.toEvaluate} evaluations to run, ${event.cached} cached`;
  return `generation ${event.generation + 1}/${generations}: ${work}`;
}

export function generationFinishedLines(
  event: EventOf<'generation-finished'>,
  generations: number,
  seconds: number,
): string[] {
  const { evaluated, cached, diverged, failed } = event;
  const counts = `${evaluated} evaluated, ${cached} cached, ${diverged} diverged, ${failed} failed`;
  const scores = `best ${fixed(event.best.fitness)} · mean ${fixed(event.mean)}`;
  return [
    `generation ${event.generation + 1}/${generations} done in ${seconds.toFixed(1)}s: ${scores} · ${counts}`,
    `  best: ${event.best.formula}  [${event.best.hash}]`,
  ];
}

export function newBestLine(event: EventOf<'new-best'>): string {
  const { best, previousFitness } = event;
  const was = previousFitness === null ? '' : ` (was ${fixed(previousFitness)})`;
  return `  new best ${fixed(best.fitness)}${was}: ${best.formula} · lr ${formatNumber(best.genome.lr)}`;
}

export function runFinishedLines(event: EventOf<'run-finished'>): string[] {
  const counts = `${event.evaluations} evaluations, ${event.cacheHits} cache hits`;
  const lines = [
    `run finished after ${event.generations} generations (${counts})`,
    `  best   ${fixed(event.best.fitness)}  ${event.best.formula}`,
    `         ${renderHyperparameters(event.best.genome)}`,
  ];
  const adam = event.baselines['adam'];
  if (adam !== undefined && Number.isFinite(adam)) {
    const change = percentVs(event.best.fitness, adam);
    lines.push(`  adam   ${fixed(adam)}  same budget and seeds${change === null ? '' : ` (${change} vs adam)`}`);
  }
  lines.push("  fitness: the paper's score on the validation split, mean over tasks and seeds");
  return lines;
}

/** One worker's backend, devices and what else its task reported (kernel patches). */
export function workerInfoLine(event: EventOf<'worker-info'>): string {
  const devices = event.devices?.length ? ` on ${event.devices.join(', ')}` : '';
  const detail = event.detail ? ` (${event.detail})` : '';
  return `  ${event.worker}: backend ${event.backend ?? 'unknown'}${devices}${detail}`;
}

/** A crashed worker, or a queue run's Redis connection lost or back; null for routine states. */
export function workerStatusLine(event: EventOf<'worker-status'>, redisWorker: string): string | null {
  if (event.status === 'crashed') {
    return `  worker ${event.worker} crashed${event.detail ? `: ${event.detail}` : ''}; replacing it`;
  }
  // Losing Redis pauses a queue run, so say so, and say when it is back.
  const redis = event.worker === redisWorker && (event.status === 'stopped' || event.status === 'ready');
  return redis && event.detail ? `  queue: ${event.detail}` : null;
}
