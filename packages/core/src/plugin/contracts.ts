import type { ElementwiseOps } from './ops.js';
import type { ContributionMeta, Options } from './meta.js';
import type { Rng } from '../rng.js';
import type { Genome } from '../genome/schema.js';
import type { EvaluationProgress, EvaluationOutcome } from '../evaluation.js';
import type { EvaluationRequest, EvaluationSink } from '../evaluation.js';
import type { ReadonlyRegistries } from '../registry/registries.js';

// ─── Primitive ────────────────────────────────────────────────────────────────────────────────

/** What a primitive sees at each step, for one parameter tensor (or a population of them). */
export interface PrimitiveInputs<T> {
  /** The gradient, after clipping. */
  readonly g: T;
  /** EMA_β1(g), bias-corrected if the genome says so; g itself when the genome has no m. */
  readonly m: T;
  /** EMA_β2(g²), bias-corrected if the genome says so; g² itself when the genome has no v. */
  readonly v: T;
  readonly eps: T | number;
  readonly beta1: T | number;
  readonly beta2: T | number;
  /** 0-based step. */
  readonly step: number;
  /** This term's own state slots, already updated for this step. */
  readonly state: Readonly<Record<string, T>>;
}

/**
 * Extra per-parameter state a primitive keeps, such as AdaBelief's s = EMA((g − m)²).
 * The optimizer allocates it (shaped like the parameter), updates it each step after m and v
 * and before `apply`, and checkpoints it with the rest of the optimizer state.
 */
export interface StateSlot {
  readonly name: string;
  /** Initial value of every element. */
  readonly init: number;
  /** The new value, from the previous one (`inputs.state[name]`) and this step's g, m, v. */
  update<T>(inputs: PrimitiveInputs<T>, ops: ElementwiseOps<T>): T;
}

/** A primitive term bound to its options: what the optimizer evaluates each step. */
export interface PrimitiveTerm {
  /** Display form, e.g. "m/(√v+ε)"; the formula renderer prefixes it with α. */
  readonly formula: string;
  readonly state?: readonly StateSlot[];
  /** T(g, m, v, ε): elementwise, the same shape as g; must broadcast over a leading population axis. */
  apply<T>(inputs: PrimitiveInputs<T>, ops: ElementwiseOps<T>): T;
}

/**
 * The primitive another one becomes when the genome keeps no m or no v (m = g, v = g²): e.g.
 * momentum without m is grad, adam without m is rms, rms without v is unit. Canonicalisation
 * uses it to merge terms that compute the same thing.
 */
export interface PrimitiveReductions {
  readonly withoutM?: string;
  readonly withoutV?: string;
}

export interface PrimitiveDefinition<O extends Options = Options> {
  readonly id: string;
  readonly meta: ContributionMeta<O> & { readonly reducesTo?: PrimitiveReductions };
  create(options: O): PrimitiveTerm;
}

// ─── Schedule ─────────────────────────────────────────────────────────────────────────────────

/** A numeric schedule parameter, with the bounds mutation must respect. */
export interface ScheduleParam {
  readonly min: number;
  readonly max: number;
  readonly default: number;
  readonly integer?: boolean;
  readonly summary?: string;
}

export interface ScheduleDefinition {
  readonly id: string;
  readonly meta: Omit<ContributionMeta, 'options'> & {
    /** The schedule's parameters; mutation moves them within their bounds. */
    readonly params: Readonly<Record<string, ScheduleParam>>;
    /** Display form with `{param}` placeholders, e.g. "warmup {warmupSteps} + cosine". */
    readonly formula?: string;
  };
  /** The learning-rate multiplier at 0-based `step` of `totalSteps`. Pure: same inputs, same output. */
  multiplier(step: number, totalSteps: number, params: Readonly<Record<string, number>>): number;
}

// ─── Selection ────────────────────────────────────────────────────────────────────────────────

export interface Scored {
  /** Higher is better. Diverged genomes score −1 (the paper's convention). */
  readonly fitness: number;
}

export interface SelectionStrategy {
  /** `count` indices into `scored` (repeats allowed), chosen as parents. Uses only `rng`. */
  select(scored: readonly Scored[], count: number, rng: Rng): number[];
}

export interface SelectionDefinition<O extends Options = Options> {
  readonly id: string;
  readonly meta: ContributionMeta<O>;
  create(options: O): SelectionStrategy;
}

// ─── Task ─────────────────────────────────────────────────────────────────────────────────────

/** One genome to train, with the seed derived for it. */
export interface EvaluationItem {
  readonly genome: Genome;
  readonly hash: string;
  readonly seed: number;
  readonly seedIndex: number;
  readonly steps: number;
}

export interface TaskEvaluateContext {
  /** Called at most every few hundred ms per item; `index` is the item's position in the batch. */
  readonly onProgress: (index: number, progress: EvaluationProgress) => void;
  readonly signal?: AbortSignal;
}

/** A task prepared in one worker: data loaded once, reused for every evaluation. */
export interface TaskInstance {
  /** Train and score a batch of genomes. One outcome per item, in the same order. */
  evaluate(items: readonly EvaluationItem[], context: TaskEvaluateContext): Promise<EvaluationOutcome[]>;
  dispose?(): Promise<void> | void;
}

/** What a task tells the run about the thread it runs in (shown in the TUI, journaled). */
export interface WorkerInfo {
  /** The compute backend it got, e.g. "wasm", "tensorflow". */
  readonly backend?: string;
  /** Devices the backend sees, e.g. ["/GPU:0"]. */
  readonly devices?: readonly string[];
  readonly detail?: string;
}

export interface TaskContext {
  readonly registries: ReadonlyRegistries;
  /** The compute backend the user asked for (config `backend`): 'auto', 'tensorflow', 'wasm', 'cpu', … */
  readonly backend: string;
  /** Reports what the task found about its thread, e.g. which backend it got. */
  readonly report: (info: WorkerInfo) => void;
  /** Where datasets live (config `dataDir`). */
  readonly dataDir: string;
  readonly log: (message: string) => void;
}

/** What a task's preflight check may look at. */
export interface TaskPreflightContext {
  /** Where datasets live (config `dataDir`). */
  readonly dataDir: string;
}

export interface TaskDefinition<O extends Options = Options> {
  readonly id: string;
  readonly meta: ContributionMeta<O>;
  /**
   * Optional cheap checks, run once in the main thread before a run directory is created, such as
   * "is the dataset there": throw an EvoptError whose fix says what to do. Loading and validating
   * the data belongs in `create`.
   */
  preflight?(options: O, context: TaskPreflightContext): Promise<void> | void;
  create(options: O, context: TaskContext): Promise<TaskInstance> | TaskInstance;
}

// ─── Evaluator ────────────────────────────────────────────────────────────────────────────────

/** Dispatches evaluation requests (to this thread, worker threads, or a job queue). */
export interface Evaluator {
  readonly id: string;
  /** How many evaluations run at once (worker threads, queue workers); for display. */
  readonly workers?: number;
  /**
   * True when `evaluate` may be called again before an earlier call resolves. The steady-state GA
   * keeps several genomes in flight this way; with an evaluator that lacks it, it serialises its
   * calls (and the barrier it means to remove comes back).
   */
  readonly concurrent?: boolean;
  /**
   * Resolves when every request has reached `sink.finished`. A failure becomes a failed record.
   * With `concurrent`, calls may overlap: each reports to its own sink, work is handed out in the
   * order calls arrived, and aborting one call's `signal` stops only that call's requests.
   */
  evaluate(requests: readonly EvaluationRequest[], sink: EvaluationSink, signal?: AbortSignal): Promise<void>;
  /**
   * Optional: stop handing out new work (true) or carry on (false). Evaluations already running
   * finish and are reported; nothing new starts until dispatch resumes. The TUI's `p` key.
   */
  setPaused?(paused: boolean): void;
  close(): Promise<void>;
}

/** What an evaluator needs to build tasks wherever it runs them. */
export interface EvaluatorContext {
  readonly registries: ReadonlyRegistries;
  /** Resolved plugin entry URLs, so worker threads or processes can load the same plugins. */
  readonly pluginUrls: readonly string[];
  /** Options per task id, already validated. */
  readonly taskOptions: Readonly<Record<string, Options>>;
  readonly dataDir: string;
  /** The compute backend the user asked for; passed on to every task. */
  readonly backend: string;
  readonly log: (message: string) => void;
}

export interface EvaluatorDefinition<O extends Options = Options> {
  readonly id: string;
  readonly meta: ContributionMeta<O>;
  create(options: O, context: EvaluatorContext): Evaluator;
}
