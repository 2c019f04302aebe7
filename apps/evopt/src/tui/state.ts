import {
  evaluationKeyString,
  type EvaluationRecord,
  type EvoptEvent,
  type Genome,
  type GenomeEntry,
  type JournalProblem,
  type RunStartedEvent,
  type ScoredGenome,
} from '@evopt/core';
import { Draft } from './draft.js';
import { completeFitness, rank } from './scoring.js';
import { score, shortHash } from './text.js';

/** Where the run is, as far as its events tell. */
export type RunPhase = 'waiting' | 'running' | 'finished' | 'stopped' | 'failed' | 'incomplete';

/** What kind of line an event-log entry is; the log colours it by kind. */
export type LogKind = 'best' | 'failure' | 'checkpoint' | 'warning' | 'info';

export interface LogEntry {
  readonly id: number;
  readonly time: string;
  readonly kind: LogKind;
  readonly text: string;
}

/** From run-started: what the header shows (baselines default to none for journals from before they were recorded). */
export type RunInfo = Omit<RunStartedEvent, 'type' | 'time' | 'baselines'> & { readonly baselines: readonly string[] };

/** The generation being evaluated (or the last one, once it has finished). */
export interface GenerationProgress {
  readonly generation: number;
  readonly population: readonly GenomeEntry[];
  readonly toEvaluate: number;
  readonly cached: number;
  readonly evaluated: number;
  readonly diverged: number;
  readonly failed: number;
  readonly done: boolean;
}

/** One finished generation: a point of the chart and a line of the history. */
export interface GenerationRow {
  readonly generation: number;
  readonly best: number;
  readonly mean: number;
  readonly median: number;
  readonly diversity: number;
  readonly evaluated: number;
  readonly cached: number;
  readonly diverged: number;
  readonly failed: number;
  readonly bestHash: string;
  readonly bestFormula: string;
}

/** A genome of the latest finished generation, scored from its evaluation records. */
export interface RankedGenome {
  readonly rank: number;
  readonly hash: string;
  readonly genome: Genome;
  readonly fitness: number;
  readonly perTask: Readonly<Record<string, number>>;
  /** As the run rendered it, when an event carried it; else null (the UI renders it if it can). */
  readonly formula: string | null;
}

export interface WorkerEvaluation {
  readonly hash: string;
  readonly task: string;
  readonly seedIndex: number;
  readonly step: number;
  readonly totalSteps: number;
  readonly stepsPerSecond: number | null;
}

export interface WorkerView {
  readonly name: string;
  readonly status: string;
  readonly backend: string | null;
  readonly current: WorkerEvaluation | null;
}

export interface TuiState {
  readonly run: RunInfo | null;
  readonly phase: RunPhase;
  /** The latest run-started: this session of the run (a resume starts a new one). */
  readonly startedAt: string | null;
  readonly endedAt: string | null;
  readonly lastEventAt: string | null;
  readonly paused: boolean;
  readonly backend: string | null;
  readonly devices: readonly string[];
  readonly current: GenerationProgress | null;
  readonly history: readonly GenerationRow[];
  /** Evaluations each generation needed (index = generation), for the ETA. */
  readonly planned: readonly number[];
  readonly best: ScoredGenome | null;
  readonly top: readonly RankedGenome[];
  readonly termCounts: Readonly<Record<string, number>>;
  readonly workers: ReadonlyMap<string, WorkerView>;
  readonly log: readonly LogEntry[];
  readonly logged: number;
  readonly records: ReadonlyMap<string, readonly EvaluationRecord[]>;
  readonly formulas: ReadonlyMap<string, string>;
  /** The Adam baseline of generation 0: its genome hash and, once scored, its fitness. */
  readonly adam: { readonly hash: string | null; readonly fitness: number | null };
  /** Evaluations finished in this session and when (ms since epoch, from event times). */
  readonly throughput: { readonly since: number | null; readonly lastAt: number | null; readonly finished: number };
  readonly corruptLines: number;
}

/** A line from evopt itself rather than from the run: a command's message, an export, a key's answer. */
export interface TuiNote {
  readonly type: 'note';
  readonly time: string;
  readonly kind: LogKind;
  readonly message: string;
}

/** A journal line that `evopt watch` could not read and skipped. */
export interface TuiJournalProblem {
  readonly type: 'journal-problem';
  readonly time: string;
  readonly problem: JournalProblem;
}

/**
 * `evopt watch` found no live process driving the run: nothing more will come. A run that ended
 * without an ending event (killed, crashed) is 'incomplete' from here on.
 */
export interface TuiNotRunning {
  readonly type: 'not-running';
  readonly time: string;
}

/** What the reducer folds: the run's events and evopt's own notes. */
export type TuiInput = EvoptEvent | TuiNote | TuiJournalProblem | TuiNotRunning;

/** How many event-log entries are kept; the screen shows the last few. */
export const LOG_LIMIT = 200;

export function initialState(): TuiState {
  return {
    run: null,
    phase: 'waiting',
    startedAt: null,
    endedAt: null,
    lastEventAt: null,
    paused: false,
    backend: null,
    devices: [],
    current: null,
    history: [],
    planned: [],
    best: null,
    top: [],
    termCounts: {},
    workers: new Map(),
    log: [],
    logged: 0,
    records: new Map(),
    formulas: new Map(),
    adam: { hash: null, fitness: null },
    throughput: { since: null, lastAt: null, finished: 0 },
    corruptLines: 0,
  };
}

/** Folds one input into the view model. Never changes `state`. */
export function reduce(state: TuiState, input: TuiInput): TuiState {
  return reduceAll(state, [input]);
}

/**
 * Folds a batch of inputs. The state's collections are copied once per batch, not once per event,
 * so replaying a long journal stays linear; `state` itself is never changed.
 */
export function reduceAll(state: TuiState, inputs: readonly TuiInput[]): TuiState {
  if (inputs.length === 0) return state;
  const draft = new Draft(state);
  for (const input of inputs) apply(draft, input);
  return draft.finish(LOG_LIMIT);
}

function apply(d: Draft, input: TuiInput): void {
  const s = d.s;
  if (input.type === 'note') {
    d.log(input.time, input.kind, input.message);
    return;
  }
  if (input.type === 'journal-problem') {
    s.corruptLines += 1;
    d.log(input.time, 'warning', `journal line ${input.problem.line} skipped: ${input.problem.reason}`);
    return;
  }
  if (input.type === 'not-running') {
    if (s.phase === 'running' || s.phase === 'waiting') {
      s.phase = 'incomplete';
      s.endedAt = s.lastEventAt;
      s.workers = new Map();
    }
    return;
  }
  s.lastEventAt = input.time;
  switch (input.type) {
    case 'run-started':
      s.run = {
        runId: input.runId,
        preset: input.preset,
        seed: input.seed,
        populationSize: input.populationSize,
        generations: input.generations,
        tasks: input.tasks,
        seeds: input.seeds,
        steps: input.steps,
        evaluator: input.evaluator,
        workers: input.workers,
        baselines: input.baselines ?? [],
        resumed: input.resumed,
        mode: input.mode ?? 'generational',
      };
      s.phase = 'running';
      s.startedAt = input.time;
      s.endedAt = null;
      s.paused = false;
      // A new process: its workers, and its own throughput.
      s.workers = new Map();
      s.throughput = { since: null, lastAt: null, finished: 0 };
      d.log(input.time, 'info', `${input.resumed ? 'resumed' : 'started'} run ${input.runId}`);
      break;
    case 'generation-started': {
      s.current = {
        generation: input.generation,
        population: input.population,
        toEvaluate: input.toEvaluate,
        cached: input.cached,
        evaluated: 0,
        diverged: 0,
        failed: 0,
        done: false,
      };
      d.planned()[input.generation] = input.toEvaluate;
      const adamIndex = s.run?.baselines.indexOf('adam') ?? -1;
      if (input.generation === 0 && adamIndex >= 0) {
        const hash = input.population[adamIndex]?.hash ?? null;
        s.adam = { hash, fitness: hash === s.adam.hash ? s.adam.fitness : null };
      }
      break;
    }
    case 'evaluation-started':
      s.throughput = { ...s.throughput, since: s.throughput.since ?? Date.parse(input.time) };
      d.worker(input.worker, (w) => ({
        ...w,
        status: 'busy',
        current: {
          hash: input.hash,
          task: input.task,
          seedIndex: input.seedIndex,
          step: 0,
          totalSteps: input.steps,
          stepsPerSecond: null,
        },
      }));
      break;
    case 'evaluation-progress':
      d.worker(input.worker, (w) => ({
        ...w,
        status: 'busy',
        current: {
          hash: input.hash,
          task: input.task,
          seedIndex: input.seedIndex,
          step: input.step,
          totalSteps: input.totalSteps,
          stepsPerSecond: input.stepsPerSecond ?? w.current?.stepsPerSecond ?? null,
        },
      }));
      break;
    case 'evaluation-finished':
      finishEvaluation(d, input.record, input.time);
      break;
    case 'generation-finished':
      finishGeneration(d, input);
      break;
    case 'new-best':
      s.best = input.best;
      d.formulas().set(input.best.hash, input.best.formula);
      d.log(
        input.time,
        'best',
        `new best ${score(input.best.fitness)} in generation ${input.generation + 1}${input.previousFitness === null ? '' : ` (was ${score(input.previousFitness)})`}: ${input.best.formula}`,
      );
      break;
    case 'checkpoint-saved':
      d.log(input.time, 'checkpoint', `checkpoint saved after generation ${input.generation + 1}`);
      break;
    case 'worker-status':
      d.worker(input.worker, (w) => ({
        ...w,
        status: input.status,
        ...(input.status === 'busy' ? {} : { current: null }),
      }));
      if (input.status === 'crashed')
        d.log(
          input.time,
          'failure',
          `worker ${input.worker} crashed${input.detail ? `: ${input.detail}` : ''}; replacing it`,
        );
      break;
    case 'worker-info':
      if (input.backend) s.backend = input.backend;
      if (input.devices?.length) s.devices = [...new Set([...s.devices, ...input.devices])];
      d.worker(input.worker, (w) => ({ ...w, backend: input.backend ?? w.backend }));
      break;
    case 'dispatch-paused':
      s.paused = input.paused;
      d.log(
        input.time,
        'info',
        input.paused ? 'dispatch paused: running evaluations finish, no new ones start' : 'dispatch resumed',
      );
      break;
    case 'warning':
      d.log(input.time, 'warning', input.message);
      break;
    case 'run-finished': {
      s.phase = 'finished';
      s.endedAt = input.time;
      s.best = input.best;
      d.formulas().set(input.best.hash, input.best.formula);
      const adam = input.baselines['adam'];
      if (adam !== undefined && Number.isFinite(adam)) s.adam = { ...s.adam, fitness: adam };
      d.log(
        input.time,
        'info',
        `run finished after ${input.generations} generations: best ${score(input.best.fitness)}`,
      );
      break;
    }
    case 'run-stopped':
      s.phase = 'stopped';
      s.endedAt = input.time;
      d.log(input.time, 'info', `run stopped in generation ${input.generation + 1}: ${input.reason}`);
      break;
    case 'run-failed':
      s.phase = 'failed';
      s.endedAt = input.time;
      d.log(input.time, 'failure', `run failed: ${input.error.message}`);
      break;
    case 'genome-told':
      // Steady state: a genome scored mid-"generation" joins the genomes the panels look up.
      if (s.current && !s.current.population.some((e) => e.hash === input.hash))
        s.current = { ...s.current, population: [...s.current.population, { hash: input.hash, genome: input.genome }] };
      break;
    case 'cache-hit':
      break;
  }
}

function finishEvaluation(d: Draft, record: EvaluationRecord, time: string): void {
  const s = d.s;
  const records = d.records();
  const key = evaluationKeyString(record);
  const previous = records.get(record.hash) ?? [];
  records.set(record.hash, [...previous.filter((r) => evaluationKeyString(r) !== key), record]);
  const at = Date.parse(time);
  s.throughput = { since: s.throughput.since ?? at, lastAt: at, finished: s.throughput.finished + 1 };
  if (s.current && !s.current.done) {
    s.current = {
      ...s.current,
      evaluated: s.current.evaluated + 1,
      diverged: s.current.diverged + (record.status === 'diverged' ? 1 : 0),
      failed: s.current.failed + (record.status === 'failed' ? 1 : 0),
    };
  }
  const worker = s.workers.get(record.worker);
  if (worker?.current && evaluationKeyString({ ...worker.current, steps: record.steps }) === key) {
    d.worker(record.worker, (w) => ({ ...w, status: 'idle', current: null }));
  }
  if (record.status === 'failed') {
    d.log(
      time,
      'failure',
      `evaluation failed: ${shortHash(record.hash)} on ${record.task} seed ${record.seedIndex}: ${record.error?.message ?? 'no message'}`,
    );
  }
  if (record.hash === s.adam.hash && s.adam.fitness === null)
    s.adam = { ...s.adam, fitness: completeFitness(s, s.records.get(record.hash) ?? []) };
}

function finishGeneration(d: Draft, event: Extract<EvoptEvent, { type: 'generation-finished' }>): void {
  const s = d.s;
  const row: GenerationRow = {
    generation: event.generation,
    best: event.best.fitness,
    mean: event.mean,
    median: event.median,
    diversity: event.diversity,
    evaluated: event.evaluated,
    cached: event.cached,
    diverged: event.diverged,
    failed: event.failed,
    bestHash: event.best.hash,
    bestFormula: event.best.formula,
  };
  const history = d.history();
  const at = history.findIndex((h) => h.generation === event.generation);
  if (at >= 0) history[at] = row;
  else history.push(row);
  d.formulas().set(event.best.hash, event.best.formula);
  s.termCounts = event.termCounts;
  if (!s.best || event.best.fitness > s.best.fitness) s.best = event.best;
  if (s.current?.generation === event.generation) {
    s.current = {
      ...s.current,
      evaluated: event.evaluated,
      cached: event.cached,
      diverged: event.diverged,
      failed: event.failed,
      done: true,
    };
    s.top = rank(s.current.population, s);
  }
  if (s.adam.hash && s.adam.fitness === null)
    s.adam = { ...s.adam, fitness: completeFitness(s, s.records.get(s.adam.hash) ?? []) };
}
