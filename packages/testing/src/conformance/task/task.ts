import {
  baselineGenome,
  EvoptError,
  genomeHash,
  type EvaluationItem,
  type Genome,
  type Options,
  type ReadonlyRegistries,
  type TaskContext,
  type TaskDefinition,
} from '@evopt/core';
import { optionsDefaultsRule } from '../options.js';
import {
  metaSummaryRule,
  registerAsyncRules,
  runRulesAsync,
  validIdRule,
  type AsyncConformanceRule,
  type TestFn,
  type Violation,
} from '../rule.js';
import { CONFORMANCE_SEED } from '../samples.js';
import { TASK_RULES, type TaskSubject } from './rules.js';
import { TaskSession, type TaskRunSettings } from './session.js';
import { detectedTfjsTensors, type TensorCounter } from './tensors.js';

/** Training steps of each item the task suite evaluates, unless told otherwise: enough to train, cheap. */
export const DEFAULT_TASK_STEPS = 5;
/** The learning rate of the default diverging genome (Adam): every weight moves by about this much at once. */
export const DIVERGING_LR = 1e6;
/**
 * Metrics that describe how an evaluation ran rather than its result: its speed, and how many
 * genomes were trained together with it (population training). Their values are left out of the
 * determinism and batching checks; their names are still compared.
 */
export const DEFAULT_EXECUTION_METRICS: readonly string[] = ['stepsPerSecond', 'populationSize'];

/** What {@link checkTask} runs the task with. */
export interface TaskCheckOptions {
  /**
   * The registries the task is created with (`TaskContext.registries`). They must hold the
   * primitives and schedules of the genomes evaluated: for the default items adam, momentum and
   * constant, so register @evopt/plugin-primitives and @evopt/plugin-schedules.
   */
  readonly registries: ReadonlyRegistries;
  /** Options to create the task with; the schema's defaults fill the rest. Default `{}`. Keep the model and data small. */
  readonly options?: Options;
  /**
   * Training steps of each default item and of the diverging one (at least 2 for it). Default
   * {@link DEFAULT_TASK_STEPS}. The suite trains 8 items and creates the task twice, so the cost is
   * about 8 × steps training steps plus 8 scorings.
   */
  readonly steps?: number;
  /** The batch to evaluate instead of Adam and SGD with momentum at the same seed: two or more items that train with status 'ok'. */
  readonly items?: readonly EvaluationItem[];
  /** A genome that must diverge on the task. Default: Adam with lr {@link DIVERGING_LR}. */
  readonly diverging?: Genome;
  /** The rest of the task's context. Defaults: dataDir the current directory, backend 'cpu', log and report ignored. */
  readonly context?: Partial<Omit<TaskContext, 'registries'>>;
  /**
   * Counts live tensors for the rule "tensor-leaks". Default: TensorFlow.js tensors, whenever tfjs
   * is loaded in this thread (no engine, no tensors); `false` turns the count off.
   */
  readonly tensors?: TensorCounter | false;
  /** Tensors an evaluation, or a create → dispose cycle, may leave behind, for a backend that caches. Default 0. */
  readonly tensorAllowance?: number;
  /** Metrics that describe how an evaluation ran, not its result; their values are not compared. Default {@link DEFAULT_EXECUTION_METRICS}. */
  readonly executionMetrics?: readonly string[];
}

/** How {@link testTask} registers its tests, and what it runs the task with. */
export interface TaskSuiteOptions extends TaskCheckOptions {
  /**
   * Your runner's test function: vitest's `it`, or `test` from node:test. Tasks train, so give the
   * tests time: `test: (name, fn) => it(name, fn, 60_000)` with vitest.
   */
  readonly test: TestFn;
}

const NOT_COUNTED: TensorCounter = { label: 'tensors (not counted)', count: () => 0 };

function setupError(label: string, message: string, fix: string): EvoptError {
  return new EvoptError('CONFIG_INVALID', `The task suite for ${label} cannot run: ${message}`, { fix });
}

function item(genome: Genome, steps: number): EvaluationItem {
  return { genome, hash: genomeHash(genome), seed: CONFORMANCE_SEED, seedIndex: 0, steps };
}

/** The settings with every default filled in; throws when the suite itself is misconfigured. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any options type
function runSettings(def: TaskDefinition<any>, label: string, settings: TaskCheckOptions): TaskRunSettings {
  const steps = settings.steps ?? DEFAULT_TASK_STEPS;
  if (!Number.isInteger(steps) || steps < 1)
    throw setupError(label, `steps is ${steps}.`, 'Pass steps as a positive integer, e.g. { steps: 5 }.');
  const items = settings.items ?? [item(baselineGenome('adam'), steps), item(baselineGenome('sgd-momentum'), steps)];
  if (items.length < 2)
    throw setupError(
      label,
      `it was given ${items.length} item(s).`,
      'Pass at least two items: the suite checks that batching does not change results.',
    );
  const diverging = item(settings.diverging ?? { ...baselineGenome('adam'), lr: DIVERGING_LR }, Math.max(2, steps));
  const { registries } = settings;
  if (registries?.primitives === undefined || registries.schedules === undefined) {
    throw setupError(
      label,
      'no registries were given.',
      'Pass { registries } with the primitives and schedules the genomes use, e.g. from registerPlugin(createRegistries(), …) with @evopt/plugin-primitives and @evopt/plugin-schedules.',
    );
  }
  for (const { genome } of [...items, diverging]) {
    const missing = [
      ...genome.terms.filter((t) => !registries.primitives.has(t.primitive)).map((t) => `primitive "${t.primitive}"`),
      ...(registries.schedules.has(genome.schedule.id) ? [] : [`schedule "${genome.schedule.id}"`]),
    ];
    if (missing.length > 0) {
      throw setupError(
        label,
        `the registries lack ${missing.join(', ')}, which the genomes evaluated use.`,
        'Register @evopt/plugin-primitives and @evopt/plugin-schedules (or the plugins your items need) in the registries you pass.',
      );
    }
  }
  // Options the schema rejects are passed as given: create then fails, and "options-defaults" says why.
  const parsed = def?.meta?.options?.safeParse(settings.options ?? {});
  const context: TaskContext = {
    dataDir: '.',
    backend: 'cpu',
    log: () => undefined,
    report: () => undefined,
    ...settings.context,
    registries,
  };
  const tensors = settings.tensors === false ? NOT_COUNTED : (settings.tensors ?? detectedTfjsTensors);
  return { options: parsed?.success ? parsed.data : (settings.options ?? {}), context, items, diverging, tensors };
}

const RULES: readonly AsyncConformanceRule<TaskSubject>[] = [
  validIdRule<TaskSubject>(),
  metaSummaryRule<TaskSubject>(),
  optionsDefaultsRule<TaskSubject>(),
  ...TASK_RULES,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any options type
function subjectOf(def: TaskDefinition<any>, label: string, settings: TaskCheckOptions): TaskSubject {
  return {
    label,
    id: def?.id,
    def,
    meta: def?.meta ?? { summary: '' },
    options: settings.options,
    session: new TaskSession(def, runSettings(def, label, settings)),
    executionMetrics: settings.executionMetrics ?? DEFAULT_EXECUTION_METRICS,
    tensorAllowance: settings.tensorAllowance ?? 0,
  };
}

/**
 * Checks a task against every conformance rule; an empty list means it conforms. It creates the
 * task twice and trains 8 items, so keep its options and `steps` small.
 */
export async function checkTask<O extends Options>(
  def: TaskDefinition<O>,
  settings: TaskCheckOptions,
): Promise<Violation[]> {
  const label = `task "${String(def?.id)}"`;
  return runRulesAsync(RULES, subjectOf(def, label, settings));
}

/**
 * Registers one test per conformance rule for `def`. The tests share one run of the task (two
 * instances, 8 trainings of `steps` steps), done as the tests ask for it. A failing test throws an
 * EvoptError that names the broken rule and says how to fix it.
 *
 * @example testTask(myTask, { test: (name, fn) => it(name, fn, 60_000), registries, options: { model: 'mlp' }, steps: 5 });
 */
export function testTask<O extends Options>(def: TaskDefinition<O>, settings: TaskSuiteOptions): void {
  const label = `task "${String(def?.id)}"`;
  // Checked now, so that a misconfigured suite fails where it is called rather than in every test.
  runSettings(def, label, settings);
  let subject: TaskSubject | undefined;
  registerAsyncRules(settings.test, RULES, () => (subject ??= subjectOf(def, label, settings)), label);
}
