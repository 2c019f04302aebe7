import { z } from 'zod';
import { CONTRIBUTION_ID } from '../plugin/meta.js';
import { closestMatch } from './did-you-mean.js';

/**
 * The shape of evopt's configuration, as zod schemas. Every object is strict, so a misspelt key
 * is an error (with a "did you mean", see issues.ts) instead of a setting silently ignored.
 * Leaf schemas carry a `.describe()` text that error messages quote as "expected ...".
 */

/** The presets a config can start from; see presets.ts. */
export const PRESET_NAMES = ['smoke', 'quick', 'paper'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** Seeds feed a 32-bit generator (rng.ts), so larger values would collide. */
export const MAX_SEED = 0xffff_ffff;
/** The most terms a genome may grow to; the paper uses 4 (PAPER_BOUNDS.terms.max). */
export const MAX_TERMS_LIMIT = 8;

const intAtLeast = (min: number) => z.int().min(min).describe(`integer ≥ ${min}`);
const probability = z.number().min(0).max(1).describe('number in [0, 1]');
const positive = z.number().positive().describe('number > 0');
const text = z.string().min(1).describe('non-empty string');
const contributionId = z
  .string()
  .regex(CONTRIBUTION_ID)
  .describe('a contribution id such as "tournament" or "my-plugin/my-task"');
const options = z.record(z.string(), z.unknown()).describe('an object of options');

const presetName = z.enum(PRESET_NAMES);

/** The tensor backends evopt's tasks can run on (see @evopt/tfjs and docs/GPU.md). */
export const BACKEND_NAMES = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

const contributionRefInput = z.strictObject({
  id: contributionId.optional(),
  options: options.optional(),
});
const taskRefInput = z.strictObject({
  id: contributionId,
  options: options.optional(),
});

const mutationInput = z.strictObject({
  /** Probability of mutating each numeric gene (and each α). */
  pNum: probability.optional(),
  /** Probability of one structural change: add, remove or change a term. */
  pStruct: probability.optional(),
  /** Probability of flipping each flag. */
  pFlag: probability.optional(),
  /** Standard deviation of the Gaussian steps. */
  sigma: positive.optional(),
  /** Rates are multiplied by 1 − anneal·generation/generations. */
  anneal: probability.optional(),
});

/** How the GA turns scores into the next genomes; see `ga.mode`. */
export const GA_MODES = ['generational', 'steady-state'] as const;
export type GaMode = (typeof GA_MODES)[number];
/** Which member of a steady-state population a new child displaces. */
export const REPLACEMENTS = ['worst', 'oldest'] as const;
export type Replacement = (typeof REPLACEMENTS)[number];

const gaInput = z.strictObject({
  populationSize: intAtLeast(2).optional(),
  generations: intAtLeast(1).optional(),
  /** The best genomes copied unchanged into the next generation; fewer than populationSize. */
  elites: intAtLeast(0).optional(),
  /** Probability that a child is bred by crossover rather than copied from one parent. */
  crossoverRate: probability.optional(),
  maxTerms: z.int().min(1).max(MAX_TERMS_LIMIT).describe(`integer from 1 to ${MAX_TERMS_LIMIT}`).optional(),
  mutation: mutationInput.optional(),
  /** Baseline genome ids (or genome JSON paths) seeded into generation 0. */
  baselines: z.array(text).optional(),
  /** The primitives mutation may use; null means every registered primitive. */
  primitives: z.array(contributionId).nullable().optional(),
  /** The schedules mutation may use; null means the paper's four. */
  schedules: z.array(contributionId).nullable().optional(),
  /**
   * 'generational' (the paper's: a whole generation is scored before the next is bred) or
   * 'steady-state' (asynchronous: each finished genome enters the population at once and a new
   * child is bred for the freed worker, so no evaluation waits for the slowest).
   */
  mode: z.enum(GA_MODES).optional(),
  /** Steady-state only: which member a new child displaces ('worst', or 'oldest' as in aging evolution). */
  replacement: z.enum(REPLACEMENTS).optional(),
  /** Steady-state only: genomes evaluated at once; 'auto' is the evaluator's worker count. */
  inFlight: z
    .union([intAtLeast(1), z.literal('auto')], { error: 'an integer ≥ 1 or "auto"' })
    .describe('an integer ≥ 1 or "auto"')
    .optional(),
});

const evaluationInput = z.strictObject({
  /** Training steps per evaluation. */
  steps: intAtLeast(1).optional(),
  /** Seeds per task; a genome's fitness is the mean over tasks and seeds. */
  seeds: intAtLeast(1).optional(),
  /** Where evaluations run: 'worker-pool' (default), 'inline', or a plugin's evaluator. */
  evaluator: contributionRefInput.optional(),
  /**
   * A Redis URL (redis:// or rediss://): evaluate on `evopt worker` processes through
   * @evopt/plugin-queue. Shorthand for adding the plugin and the evaluator { id: 'queue', options: { url } }.
   */
  queue: z
    .string()
    .regex(/^rediss?:\/\//, { error: 'a redis:// or rediss:// URL' })
    .describe('a redis:// or rediss:// URL')
    .nullable()
    .optional(),
});

/** Defaults of the `ci` block (`evopt ci`, docs/CI.md). */
export const CI_DEFAULTS = {
  baseline: 'adam',
  seeds: 5,
  /** In fitness units (the paper's score, mostly an accuracy in [0, 1]). */
  tolerance: 0.02,
  alpha: 0.05,
  record: 'evopt-ci-record.json',
} as const;

const CI_TASK_TEXT = 'a task id such as "mnist-lite", or { id, options }';
const ciTaskId = z.string().regex(CONTRIBUTION_ID, { error: 'a task id such as "mnist-lite" or "my-plugin/my-task"' });
const CI_TASK_KEYS = ['id', 'options'];

/**
 * `{ id, options }` in `ci.tasks`. Loose plus a refinement rather than strict: inside a union,
 * config issues cannot list an object's keys, so this names the unknown key and its likely
 * meaning itself.
 */
const ciTaskRef = z.looseObject({ id: ciTaskId, options: options.optional() }).superRefine((task, ctx) => {
  for (const key of Object.keys(task)) {
    if (CI_TASK_KEYS.includes(key)) continue;
    const guess = closestMatch(key, CI_TASK_KEYS);
    ctx.addIssue({
      code: 'custom',
      path: [key],
      input: task[key],
      message: `no key "${key}" (unknown${guess ? `; did you mean "${guess}"?` : `; a task has only ${CI_TASK_KEYS.join(' and ')}`})`,
    });
  }
});
const ciTask = z.union([ciTaskId, ciTaskRef], { error: CI_TASK_TEXT }).describe(CI_TASK_TEXT);

/** Each item once: a repeated one is reported at its second position. */
function noRepeats<T>(key: (item: T) => string, what: string) {
  return (items: readonly T[], ctx: z.RefinementCtx): void => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: 'custom', path: [i], input: item, message: `each ${what} listed once` });
      seen.add(k);
    });
  };
}

/**
 * The `ci` block: what `evopt ci` guards. Each genome must not be worse than the baseline beyond
 * `tolerance` (a one-sided paired t-test over seeds at `alpha`), and its fitness must stay within
 * `tolerance` of the record file's. Left out: tasks are the config's tasks, steps evaluation.steps.
 */
export const ciSchema = z.strictObject({
  /** The genomes to guard: baseline ids (paper-evolved…), genome JSON files relative to the config file, or run ids. */
  genomes: z
    .array(text)
    .min(1)
    .describe('a non-empty array of genome ids or genome files')
    .superRefine(noRepeats((g: string) => g, 'genome')),
  /** What the genomes must not fall behind: a baseline id or a genome file. */
  baseline: text.default(CI_DEFAULTS.baseline),
  /** Task ids or { id, options }; default: the config's tasks. */
  tasks: z
    .array(ciTask)
    .min(1)
    .describe(`a non-empty array (each item: ${CI_TASK_TEXT})`)
    .superRefine(noRepeats((t: string | { id: string }) => (typeof t === 'string' ? t : t.id), 'task'))
    .optional(),
  /** Training steps per evaluation; default: evaluation.steps. */
  steps: intAtLeast(1).optional(),
  /** Seeds per task (a paired test needs at least two). */
  seeds: intAtLeast(2).default(CI_DEFAULTS.seeds),
  /** How far (in fitness units) a genome may fall behind the baseline, or move from the record. */
  tolerance: z.number().min(0).describe('number ≥ 0 (fitness units)').default(CI_DEFAULTS.tolerance),
  /** Significance level of the test against the baseline. */
  alpha: z.number().gt(0).lt(1).describe('number in (0, 1)').default(CI_DEFAULTS.alpha),
  /** The record file of expected fitnesses, relative to the config file. */
  record: text.default(CI_DEFAULTS.record),
});

/** What a user writes (evopt.config.ts, CLI flags): every key optional. */
export const configInputSchema = z.strictObject({
  /** The preset to start from (default 'quick'); null starts from nothing but the defaults. */
  preset: presetName.nullable().optional(),
  /** The run's master seed; every random choice derives from it. */
  seed: z.int().min(0).max(MAX_SEED).describe(`integer from 0 to ${MAX_SEED}`).optional(),
  /** Plugin packages, or paths relative to the config file. Appended to the preset's plugins. */
  plugins: z.array(text).optional(),
  /** Where runs are written; relative to the config file's directory. */
  runsDir: text.optional(),
  /** Where datasets are cached; default $EVOPT_DATA_DIR, else the user cache dir. */
  dataDir: text.optional(),
  /** The tensor backend tasks use: auto tries tensorflow (GPU), then wasm, then cpu. */
  backend: z.enum(BACKEND_NAMES).optional(),
  ga: gaInput.optional(),
  /** The selection strategy and its options, e.g. { id: 'tournament', options: { k: 4 } }. */
  selection: contributionRefInput.optional(),
  /** The tasks each genome trains on; fitness is averaged over them. */
  tasks: z.array(taskRefInput).optional(),
  evaluation: evaluationInput.optional(),
  /** Regression runs against a baseline: `evopt ci` (docs/CI.md). */
  ci: ciSchema.optional(),
});

const contributionRef = contributionRefInput.required();
const taskRef = taskRefInput.required();

/** A config after presets, files and flags are merged and paths resolved: nothing optional. */
export const resolvedConfigSchema = configInputSchema.required().extend({
  preset: presetName.nullable(),
  ga: gaInput.required().extend({ mutation: mutationInput.required() }),
  selection: contributionRef,
  tasks: z.array(taskRef).min(1).describe('at least one task, e.g. [{ id: "mnist-lite" }]'),
  evaluation: evaluationInput.required().extend({ evaluator: contributionRef }),
  /** Absent unless the config has a `ci` block. */
  ci: ciSchema.optional(),
});

/** The config a user writes; every key is optional. See {@link defineConfig}. */
export type EvoptConfigInput = z.input<typeof configInputSchema>;
/** The fully resolved config a run uses; see loadConfig. */
export type ResolvedConfig = z.output<typeof resolvedConfigSchema>;
/** The `ci` block with its defaults filled in (tasks and steps still fall back at run time). */
export type CiConfig = z.output<typeof ciSchema>;
/** A reference to a registered contribution with its options. */
export type ContributionRef = z.output<typeof contributionRef>;

/**
 * Returns its argument; it exists for the types, as Vite's `defineConfig` does:
 * `export default defineConfig({ preset: 'quick', ga: { generations: 10 } })`.
 */
export function defineConfig(input: EvoptConfigInput): EvoptConfigInput {
  return input;
}
