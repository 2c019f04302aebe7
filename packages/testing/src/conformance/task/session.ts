import type {
  EvaluationItem,
  EvaluationOutcome,
  Options,
  TaskContext,
  TaskDefinition,
  TaskInstance,
} from '@evopt/core';
import type { ProgressReport } from './outcomes.js';
import type { TensorCounter } from './tensors.js';

/** What the suite runs a task with, every default filled in. */
export interface TaskRunSettings {
  /** The task's options, parsed by its schema. */
  readonly options: Options;
  readonly context: TaskContext;
  /** The batch evaluated: two items (by default Adam and SGD with momentum, the same seed). */
  readonly items: readonly EvaluationItem[];
  /** An item whose genome must diverge. */
  readonly diverging: EvaluationItem;
  readonly tensors: TensorCounter;
}

/** One call of `evaluate`: its outcomes, the progress reported, and the tensor count around it. */
export interface Evaluation {
  readonly outcomes: EvaluationOutcome[];
  readonly progress: ProgressReport[];
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

/** How a call settled: undefined when it resolved, else what it threw. */
export interface Settled {
  readonly error?: unknown;
}

export interface Disposal {
  readonly hasDispose: boolean;
  readonly first: Settled;
  readonly second: Settled;
}

/** A second instance, created after the first was disposed, that evaluates the batch once. */
export interface FreshRun {
  readonly outcomes: EvaluationOutcome[];
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

async function settle(run: () => unknown): Promise<Settled> {
  try {
    await run();
    return {};
  } catch (error) {
    return { error };
  }
}

/**
 * The work the task rules share, each part done once and only when a rule asks for it: tasks are
 * slow, so one instance evaluates the batch, evaluates it again, evaluates its second item alone
 * and a diverging item, and is then disposed; a second instance evaluates the batch once more.
 * Parts run one after another, in the order they are first asked for, and each waits for what it
 * builds on, so rules may run in any order (or alone) and still see the same work.
 */
export class TaskSession {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly parts = new Map<string, Promise<unknown>>();

  constructor(
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any options type; the options were parsed by its schema
    private readonly def: TaskDefinition<any>,
    readonly settings: TaskRunSettings,
  ) {}

  /** The first instance, created with the options and context under test. */
  instance(): Promise<TaskInstance> {
    return this.part(
      'create',
      async () => this.def.create(this.settings.options, this.settings.context) as TaskInstance,
    );
  }

  /** The batch, evaluated on the first instance. */
  batch(): Promise<Evaluation> {
    return this.evaluation('batch', this.settings.items);
  }

  /** The batch again, on the same (now warm) instance. */
  repeat(): Promise<Evaluation> {
    void this.batch();
    return this.evaluation('repeat', this.settings.items);
  }

  /** The batch's last item alone. */
  single(): Promise<Evaluation> {
    return this.evaluation('single', this.settings.items.slice(-1));
  }

  /** The diverging item alone. */
  diverging(): Promise<Evaluation> {
    return this.evaluation('diverging', [this.settings.diverging]);
  }

  /** The first instance disposed twice, once every evaluation on it is done. */
  disposal(): Promise<Disposal> {
    const evaluations = [this.batch(), this.repeat(), this.single(), this.diverging()];
    const instance = this.instance();
    return this.part('dispose', async () => {
      await Promise.allSettled(evaluations);
      const created = await instance;
      const dispose = () => created.dispose?.();
      return {
        hasDispose: typeof created.dispose === 'function',
        first: await settle(dispose),
        second: await settle(dispose),
      };
    });
  }

  /** A second instance: created once the first is disposed, evaluates the batch, and is disposed. */
  fresh(): Promise<FreshRun> {
    const disposed = this.disposal();
    return this.part('fresh', async () => {
      await disposed.catch(() => undefined);
      const tensorsBefore = this.settings.tensors.count();
      const instance = (await this.def.create(this.settings.options, this.settings.context)) as TaskInstance;
      try {
        const outcomes = await instance.evaluate(this.settings.items, { onProgress: () => undefined });
        await instance.dispose?.();
        return { outcomes, tensorsBefore, tensorsAfter: this.settings.tensors.count() };
      } catch (error) {
        await settle(() => instance.dispose?.());
        throw error;
      }
    });
  }

  private evaluation(name: string, items: readonly EvaluationItem[]): Promise<Evaluation> {
    const instance = this.instance();
    return this.part(name, async () => {
      const created = await instance;
      const progress: ProgressReport[] = [];
      const tensorsBefore = this.settings.tensors.count();
      const outcomes = await created.evaluate(items, {
        onProgress: (index, report) => progress.push({ index, progress: report }),
      });
      return { outcomes, progress, tensorsBefore, tensorsAfter: this.settings.tensors.count() };
    });
  }

  /** Runs `run` once, after every part asked for before it; later calls get the same promise. */
  private part<T>(name: string, run: () => Promise<T>): Promise<T> {
    const existing = this.parts.get(name);
    if (existing) return existing as Promise<T>;
    const started = this.queue.then(run);
    this.queue = started.catch(() => undefined);
    this.parts.set(name, started);
    return started;
  }
}
