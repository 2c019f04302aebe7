import { z } from 'zod';
import { CONTRIBUTION_ID } from '../plugin/meta.js';

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
});

const evaluationInput = z.strictObject({
  /** Training steps per evaluation. */
  steps: intAtLeast(1).optional(),
  /** Seeds per task; a genome's fitness is the mean over tasks and seeds. */
  seeds: intAtLeast(1).optional(),
  /** Where evaluations run: 'worker-pool' (default), 'inline', or a plugin's evaluator. */
  evaluator: contributionRefInput.optional(),
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
});

/** The config a user writes; every key is optional. See {@link defineConfig}. */
export type EvoptConfigInput = z.input<typeof configInputSchema>;
/** The fully resolved config a run uses; see loadConfig. */
export type ResolvedConfig = z.output<typeof resolvedConfigSchema>;
/** A reference to a registered contribution with its options. */
export type ContributionRef = z.output<typeof contributionRef>;

/**
 * Returns its argument; it exists for the types, as Vite's `defineConfig` does:
 * `export default defineConfig({ preset: 'quick', ga: { generations: 10 } })`.
 */
export function defineConfig(input: EvoptConfigInput): EvoptConfigInput {
  return input;
}
