import { EvoptError, serializeError, wrapPluginError } from '../errors.js';
import type { EvaluationOutcome, EvaluationProgress, EvaluationRecord, EvaluationRequest } from '../evaluation.js';
import type { EvaluationItem, TaskInstance, WorkerInfo } from '../plugin/contracts.js';
import type { Options } from '../plugin/meta.js';
import { PAPER_FITNESS } from '../presets/paper.js';
import type { ReadonlyRegistries } from '../registry/registries.js';

/** What a {@link TaskHost} needs to create tasks: the same fields as an evaluator's context. */
export interface TaskHostOptions {
  readonly registries: ReadonlyRegistries;
  /** Options per task id; missing ids get the task's defaults. */
  readonly taskOptions: Readonly<Record<string, Options>>;
  readonly dataDir: string;
  readonly backend: string;
  readonly log: (message: string) => void;
  /** Where tasks' reports about this thread go (backend, devices). */
  readonly report?: (info: WorkerInfo) => void;
}

/** Callbacks for one batch. */
export interface TaskHostHooks {
  /** Called once per request, just before the task starts the batch. */
  readonly started?: (request: EvaluationRequest) => void;
  readonly progress?: (request: EvaluationRequest, progress: EvaluationProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * Runs tasks in one thread: creates each task's {@link TaskInstance} once (so its data is
 * prepared once per thread) and turns what it returns, or throws, into evaluation records.
 * A task's failure never escapes: it becomes 'failed' records that name the plugin and task.
 */
export class TaskHost {
  private readonly instances = new Map<string, Promise<TaskInstance>>();

  constructor(private readonly options: TaskHostOptions) {}

  /**
   * Evaluates `requests` (all of one task) as one batch. Every record carries the batch's wall
   * time as `durationMs`, since the task trained them together.
   */
  async evaluate(
    requests: readonly EvaluationRequest[],
    worker: string,
    hooks: TaskHostHooks = {},
  ): Promise<EvaluationRecord[]> {
    const task = requests[0]?.task;
    if (task === undefined) return [];
    const other = requests.find((r) => r.task !== task);
    if (other) {
      throw new EvoptError('INTERNAL', `A task batch mixes tasks "${task}" and "${other.task}".`, {
        fix: 'Group requests by task before calling TaskHost.evaluate.',
      });
    }
    const began = performance.now();
    const plugin = this.pluginOf(task);
    let outcomes: EvaluationOutcome[];
    try {
      const instance = await this.instance(task);
      for (const request of requests) hooks.started?.(request);
      const items: EvaluationItem[] = requests.map(({ genome, hash, seed, seedIndex, steps }) => ({
        genome,
        hash,
        seed,
        seedIndex,
        steps,
      }));
      outcomes = await instance.evaluate(items, {
        onProgress: (index, progress) => {
          const request = requests[index];
          if (request) hooks.progress?.(request, progress);
        },
        ...(hooks.signal ? { signal: hooks.signal } : {}),
      });
      if (!Array.isArray(outcomes) || outcomes.length !== requests.length) {
        const count = Array.isArray(outcomes)
          ? `${outcomes.length} outcomes`
          : `${typeof outcomes} instead of an array`;
        throw new Error(
          `it returned ${count} for ${requests.length} genomes; a task must return one outcome per item, in order`,
        );
      }
    } catch (error) {
      // An unknown task id is the config's mistake, not a plugin's: keep the registry's message.
      const known = this.options.registries.tasks.has(task);
      const failure = failedOutcome(
        known ? wrapPluginError(error, plugin, `task "${task}"`, `evaluating ${requests.length} genome(s)`) : error,
      );
      outcomes = requests.map(() => failure);
    }
    const durationMs = performance.now() - began;
    return requests.map((request, index) =>
      toRecord(request, normalize(outcomes[index] as EvaluationOutcome, plugin, task), durationMs, worker),
    );
  }

  /** Disposes every task created so far; errors are logged, not thrown. */
  async dispose(): Promise<void> {
    const instances = [...this.instances.entries()];
    this.instances.clear();
    for (const [task, pending] of instances) {
      try {
        await (await pending).dispose?.();
      } catch (error) {
        this.options.log(`task "${task}" failed to dispose: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private pluginOf(task: string): string {
    return this.options.registries.tasks.has(task)
      ? this.options.registries.tasks.lookup(task).plugin
      : '(unknown plugin)';
  }

  /** The task's instance, created on first use; a failed creation is retried by the next batch. */
  private instance(task: string): Promise<TaskInstance> {
    let pending = this.instances.get(task);
    if (!pending) {
      pending = this.create(task);
      this.instances.set(task, pending);
      pending.catch(() => this.instances.delete(task));
    }
    return pending;
  }

  private async create(task: string): Promise<TaskInstance> {
    const { item: definition, plugin } = this.options.registries.tasks.lookup(task);
    const raw = this.options.taskOptions[task] ?? {};
    try {
      const options = definition.meta.options ? definition.meta.options.parse(raw) : raw;
      const { registries, dataDir, backend, log, report } = this.options;
      return await definition.create(options, {
        registries,
        dataDir,
        backend,
        log: (message) => log(`[${task}] ${message}`),
        report: (info) => report?.(info),
      });
    } catch (error) {
      throw wrapPluginError(error, plugin, `task "${task}"`, 'preparing the task (create)');
    }
  }
}

/** The record of a request that failed outside its task (a crashed worker, a failed queue job): scored as diverged, with the error. */
export function failedRecord(
  request: EvaluationRequest,
  error: unknown,
  durationMs: number,
  worker: string,
): EvaluationRecord {
  return toRecord(request, failedOutcome(error), durationMs, worker);
}

function failedOutcome(error: unknown): EvaluationOutcome {
  return {
    status: 'failed',
    score: PAPER_FITNESS.divergedScore,
    metrics: {},
    stepsCompleted: 0,
    error: serializeError(error),
  };
}

/** Holds tasks to the outcome contract: only an 'ok' outcome keeps its score, and it must be finite. */
function normalize(outcome: EvaluationOutcome, plugin: string, task: string): EvaluationOutcome {
  if (outcome === null || typeof outcome !== 'object' || !['ok', 'diverged', 'failed'].includes(outcome.status)) {
    return failedOutcome(
      wrapPluginError(
        new Error(`it returned ${JSON.stringify(outcome)}, not an outcome with status 'ok', 'diverged' or 'failed'`),
        plugin,
        `task "${task}"`,
        'evaluating',
      ),
    );
  }
  if (outcome.status !== 'ok') return { ...outcome, score: PAPER_FITNESS.divergedScore };
  if (!Number.isFinite(outcome.score)) {
    return failedOutcome(
      wrapPluginError(
        new Error(`it returned status 'ok' with score ${outcome.score}; report a non-finite result as 'diverged'`),
        plugin,
        `task "${task}"`,
        'evaluating',
      ),
    );
  }
  return outcome;
}

function toRecord(
  request: EvaluationRequest,
  outcome: EvaluationOutcome,
  durationMs: number,
  worker: string,
): EvaluationRecord {
  const { hash, task, seedIndex, steps, seed } = request;
  return {
    hash,
    task,
    seedIndex,
    steps,
    seed,
    status: outcome.status,
    score: outcome.score,
    metrics: outcome.metrics ?? {},
    stepsCompleted: outcome.stepsCompleted ?? 0,
    ...(outcome.error ? { error: outcome.error } : {}),
    durationMs,
    worker,
  };
}
