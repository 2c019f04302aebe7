import { PAPER_BASELINE_IDS, PAPER_BOUNDS, PAPER_GA, PAPER_PRIMITIVE_IDS, PAPER_TASKS } from '../presets/paper.js';
import { mergeConfig } from './merge.js';
import type { EvoptConfigInput, PresetName } from './schema.js';

/** The preset used when neither the config file nor the command line names one. */
export const DEFAULT_PRESET: PresetName = 'quick';

export { PAPER_BASELINE_IDS, PAPER_PRIMITIVE_IDS, PAPER_SCHEDULE_IDS } from '../presets/paper.js';

/** Requests a worker gets at once in the paper preset: the population it trains together on a GPU. */
export const PAPER_POPULATION_BATCH = 8;

const BUILTIN_PLUGINS = ['@evopt/plugin-primitives', '@evopt/plugin-schedules', '@evopt/plugin-selection'] as const;

/**
 * What every config starts from, preset or not: the paper's method (mutation rates, crossover,
 * term limit, tournament selection, baselines) and where files go. `dataDir` is absent on
 * purpose: its default depends on the environment and is filled in by resolveConfig.
 */
export const CONFIG_DEFAULTS: EvoptConfigInput = {
  seed: 0,
  plugins: [],
  runsDir: '.evopt/runs',
  backend: 'auto',
  ga: {
    crossoverRate: PAPER_GA.crossoverRate,
    maxTerms: PAPER_BOUNDS.terms.max,
    mutation: { ...PAPER_GA.mutation },
    baselines: [...PAPER_BASELINE_IDS],
    primitives: null,
    schedules: null,
    mode: 'generational',
    replacement: 'worst',
    inFlight: 'auto',
  },
  selection: { id: 'tournament', options: { k: PAPER_GA.tournamentSize } },
  evaluation: { evaluator: { id: 'worker-pool', options: {} }, queue: null },
};

/**
 * The paper exactly: 50 × 50 on MNIST, Fashion-MNIST and CIFAR-10, 500 steps × 2 seeds, searching
 * only the paper's seven primitives (the built-in plugin registers more).
 */
const paper: EvoptConfigInput = {
  plugins: [...BUILTIN_PLUGINS, '@evopt/plugin-vision'],
  ga: {
    populationSize: PAPER_GA.populationSize,
    generations: PAPER_GA.generations,
    elites: PAPER_GA.elites,
    primitives: [...PAPER_PRIMITIVE_IDS],
  },
  tasks: PAPER_TASKS.ids.map((id) => ({
    id,
    options: { trainSubset: PAPER_TASKS.trainSubset, batchSize: PAPER_TASKS.batchSize },
  })),
  evaluation: {
    steps: PAPER_TASKS.steps,
    seeds: PAPER_TASKS.seeds,
    // Batches of 8 same-task, same-seed requests: a GPU worker trains each batch as one
    // population; a CPU worker trains them one after another, at no cost.
    evaluator: { id: 'worker-pool', options: { batchSize: PAPER_POPULATION_BATCH } },
  },
};

/** Minutes on two CPU cores: a small MLP on the embedded MNIST digits. */
const quick: EvoptConfigInput = {
  plugins: [...BUILTIN_PLUGINS, '@evopt/plugin-vision'],
  ga: { populationSize: 16, generations: 8, elites: 2 },
  tasks: [{ id: 'mnist-lite', options: { model: 'mlp' } }],
  evaluation: { steps: 200, seeds: 2 },
};

/** Seconds, for tests and demos: a quadratic bowl from @evopt/plugin-quadratic, no datasets. */
const smoke: EvoptConfigInput = {
  plugins: [...BUILTIN_PLUGINS, '@evopt/plugin-quadratic'],
  ga: { populationSize: 8, generations: 3, elites: 2 },
  tasks: [{ id: 'testing/quadratic', options: {} }],
  evaluation: { steps: 60, seeds: 2 },
};

/**
 * The presets, each already merged onto {@link CONFIG_DEFAULTS}. A config applies one of them
 * first and its own values on top; see {@link mergeConfig} for the rule.
 */
export const PRESETS: Readonly<Record<PresetName, EvoptConfigInput>> = {
  smoke: mergeConfig(CONFIG_DEFAULTS, smoke),
  quick: mergeConfig(CONFIG_DEFAULTS, quick),
  paper: mergeConfig(CONFIG_DEFAULTS, paper),
};

/** The base a config is merged onto: the named preset, or the bare defaults for `null`. */
export function presetBase(preset: PresetName | null): EvoptConfigInput {
  return preset === null ? CONFIG_DEFAULTS : PRESETS[preset];
}
