import type { SerializedError } from './errors.js';
import type { EvaluationKey, EvaluationRecord } from './evaluation.js';
import type { Genome } from './genome/schema.js';

/** A genome as it appears in events: its hash names it everywhere. */
export interface GenomeEntry {
  readonly hash: string;
  readonly genome: Genome;
}

export interface ScoredGenome extends GenomeEntry {
  readonly fitness: number;
  readonly formula: string;
  /** Mean score per task over seeds. */
  readonly perTask: Readonly<Record<string, number>>;
}

interface At {
  /** ISO timestamp. Ignored when journals are compared for determinism. */
  readonly time: string;
}

export interface RunStartedEvent extends At {
  readonly type: 'run-started';
  readonly runId: string;
  readonly resumed: boolean;
  readonly preset: string | null;
  readonly seed: number;
  readonly populationSize: number;
  readonly generations: number;
  readonly tasks: readonly string[];
  readonly seeds: number;
  readonly steps: number;
  readonly evaluator: string;
  /**
   * Evaluations at once (worker threads). Absent where the evaluator cannot know, as for a queue,
   * whose fleet comes and goes (older journals of queue runs say 1).
   */
  readonly workers?: number;
  /** Baseline genome ids seeded into generation 0, in order: its first entries are these genomes. */
  readonly baselines?: readonly string[];
  /** The GA's mode (absent in journals written before steady-state existed: generational). */
  readonly mode?: 'generational' | 'steady-state';
}
export interface RunFinishedEvent extends At {
  readonly type: 'run-finished';
  readonly runId: string;
  readonly generations: number;
  readonly best: ScoredGenome;
  readonly evaluations: number;
  readonly cacheHits: number;
  /** Fitness of each baseline genome seeded into generation 0 (same budget and seeds as the run). */
  readonly baselines: Readonly<Record<string, number>>;
}
export interface RunFailedEvent extends At {
  readonly type: 'run-failed';
  readonly runId: string;
  readonly error: SerializedError;
}
export interface RunStoppedEvent extends At {
  readonly type: 'run-stopped';
  readonly runId: string;
  readonly generation: number;
  readonly reason: string;
}
export interface GenerationStartedEvent extends At {
  readonly type: 'generation-started';
  readonly generation: number;
  readonly population: readonly GenomeEntry[];
  /** Evaluations this generation needs; the rest come from the cache. */
  readonly toEvaluate: number;
  readonly cached: number;
}
export interface GenerationFinishedEvent extends At {
  readonly type: 'generation-finished';
  readonly generation: number;
  readonly best: ScoredGenome;
  readonly mean: number;
  readonly median: number;
  /** How many genomes of the population use each primitive. */
  readonly termCounts: Readonly<Record<string, number>>;
  /** Distinct canonical genomes / population size. */
  readonly diversity: number;
  readonly evaluated: number;
  readonly cached: number;
  readonly diverged: number;
  readonly failed: number;
}
export interface EvaluationStartedEvent extends At, EvaluationKey {
  readonly type: 'evaluation-started';
  readonly worker: string;
}
export interface EvaluationProgressEvent extends At, EvaluationKey {
  readonly type: 'evaluation-progress';
  readonly worker: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly loss?: number;
  readonly stepsPerSecond?: number;
}
export interface EvaluationFinishedEvent extends At {
  readonly type: 'evaluation-finished';
  readonly record: EvaluationRecord;
}
export interface CacheHitEvent extends At, EvaluationKey {
  readonly type: 'cache-hit';
  readonly generation: number;
}
export interface NewBestEvent extends At {
  readonly type: 'new-best';
  readonly generation: number;
  readonly best: ScoredGenome;
  readonly previousFitness: number | null;
}
export interface CheckpointSavedEvent extends At {
  readonly type: 'checkpoint-saved';
  readonly generation: number;
  readonly path: string;
}
export interface WorkerStatusEvent extends At {
  readonly type: 'worker-status';
  readonly worker: string;
  readonly status: 'starting' | 'ready' | 'busy' | 'idle' | 'crashed' | 'stopped';
  readonly detail?: string;
}
/** What a worker's task reported about it: the backend it got and the devices it sees. */
export interface WorkerInfoEvent extends At {
  readonly type: 'worker-info';
  readonly worker: string;
  readonly backend?: string;
  readonly devices?: readonly string[];
  readonly detail?: string;
}
/** Dispatching new evaluations was paused or resumed (the TUI's `p`); running ones carry on. */
export interface DispatchPausedEvent extends At {
  readonly type: 'dispatch-paused';
  readonly paused: boolean;
}
/**
 * Steady-state GA only: a scored genome met the population. It joined it (displacing `replaced`,
 * if the population was full) or, with 'worst' replacement, was turned away as worse than every member.
 */
export interface GenomeToldEvent extends At {
  readonly type: 'genome-told';
  /** The "generation" (every populationSize − elites tells) this one counts towards. */
  readonly generation: number;
  /** Tells so far, this one included. */
  readonly told: number;
  readonly hash: string;
  readonly genome: Genome;
  readonly fitness: number;
  readonly admitted: boolean;
  readonly replaced: string | null;
}
/** Something the user should know that did not stop the run (a corrupt journal line, a stale lock). */
export interface WarningEvent extends At {
  readonly type: 'warning';
  readonly code: string;
  readonly message: string;
}

export type EvoptEvent =
  | RunStartedEvent
  | RunFinishedEvent
  | RunFailedEvent
  | RunStoppedEvent
  | GenerationStartedEvent
  | GenerationFinishedEvent
  | EvaluationStartedEvent
  | EvaluationProgressEvent
  | EvaluationFinishedEvent
  | CacheHitEvent
  | NewBestEvent
  | CheckpointSavedEvent
  | WorkerStatusEvent
  | WorkerInfoEvent
  | DispatchPausedEvent
  | GenomeToldEvent
  | WarningEvent;

export type EvoptEventType = EvoptEvent['type'];
export type EventOf<K extends EvoptEventType> = Extract<EvoptEvent, { type: K }>;
/** An event as emitted, before the bus stamps its time. */
export type EventInput = EvoptEvent extends infer E ? (E extends EvoptEvent ? Omit<E, 'time'> : never) : never;

/** Events whose content depends on timing, not on the seed; determinism checks skip them. */
export const NONDETERMINISTIC_EVENTS: ReadonlySet<EvoptEventType> = new Set([
  'evaluation-progress',
  'worker-status',
  'worker-info',
  'evaluation-started',
  'dispatch-paused',
]);

export type EventListener = (event: EvoptEvent) => void;

/** A small synchronous bus. The core emits; the journal, the TUI and loggers listen. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(input: EventInput): EvoptEvent {
    const event = { ...input, time: this.clock().toISOString() } as EvoptEvent;
    for (const listener of this.listeners) listener(event);
    return event;
  }
}
