/**
 * Every constant of the method we start from, in one place:
 * arXiv 2512.11853, "Evolving Deep Learning Optimizers" (Dec 2025), and its reference notebook.
 * Where the paper is silent, the value is ours and says so.
 */

/** A numeric gene: its bounds, and the scale its Gaussian mutation works on. */
export interface GeneBounds {
  readonly min: number;
  readonly max: number;
  /** 'log10': the gene is stored as a value, bounded and mutated as log10(value). */
  readonly scale: 'linear' | 'log10';
  /** Mutation step: N(0, σ·sigmaScale) on the gene's scale (paper: σ = 0.3 before annealing). */
  readonly sigmaScale: number;
}

export const PAPER_BOUNDS = {
  /** Number of terms in a genome. */
  terms: { min: 1, max: 4 },
  /** Term weight α. */
  alpha: { min: -5, max: 5 },
  lr: { min: 1e-5, max: 1e-1, scale: 'log10', sigmaScale: 1 },
  beta1: { min: 0, max: 0.999, scale: 'linear', sigmaScale: 0.1 },
  beta2: { min: 0, max: 0.9999, scale: 'linear', sigmaScale: 0.1 },
  eps: { min: 1e-10, max: 1e-4, scale: 'log10', sigmaScale: 1 },
  weightDecay: { min: 1e-6, max: 1e-2, scale: 'log10', sigmaScale: 1 },
  /** Elementwise gradient clip value; bounds are ours (the paper samples U(0.5, 2)). */
  clip: { min: 0.1, max: 10, scale: 'linear', sigmaScale: 1 },
} as const satisfies Record<string, unknown>;

/** The genetic algorithm's settings in the paper. */
export const PAPER_GA = {
  populationSize: 50,
  generations: 50,
  elites: 3,
  tournamentSize: 4,
  /** The paper always crosses two parents, then mutates the child. */
  crossoverRate: 1,
  mutation: {
    /** Per numeric gene (and per α). */
    pNum: 0.35,
    /** One structural change (add, remove or change a term). */
    pStruct: 0.15,
    /** Per flag. */
    pFlag: 0.1,
    sigma: 0.3,
    /** Rates are multiplied by 1 − anneal·generation/generations. */
    anneal: 0.5,
  },
} as const;

/** How random genomes of the initial population are drawn. */
export const PAPER_RANDOM_GENOME = {
  terms: { min: 1, max: 3 },
  alpha: { min: -1, max: 1 },
  log10Lr: { min: -4, max: -2 },
  beta1: { min: 0.5, max: 0.99 },
  beta2: { min: 0.9, max: 0.9999 },
  log10Eps: { min: -9, max: -6 },
  log10WeightDecay: { min: -5, max: -3 },
  pUseM: 0.7,
  pUseV: 0.7,
  pBiasCorrection: 0.6,
  pClip: 0.2,
  clip: { min: 0.5, max: 2 },
  pWarmup: 0.3,
  warmupSteps: { min: 50, max: 200 },
  pCosine: 0.3,
} as const;

/** The tasks' training budget in the paper. */
export const PAPER_TASKS = {
  ids: ['mnist', 'fashion-mnist', 'cifar10'],
  trainSubset: 15_000,
  batchSize: 128,
  steps: 500,
  seeds: 2,
} as const;

/** Fitness per task and seed: val_acc + lossBonus·max(0, 1 − mean of the last lossTail losses). */
export const PAPER_FITNESS = {
  lossBonus: 0.05,
  lossTail: 50,
  /** A run diverges when the loss is NaN, ±Inf, or above this. */
  divergenceLoss: 50,
  divergedScore: -1,
} as const;

/**
 * The paper's seven primitives (its table of update terms). The `paper` preset restricts its search
 * to these, so that registering more primitives does not change the paper's search space.
 */
export const PAPER_PRIMITIVE_IDS = ['grad', 'momentum', 'rms', 'adam', 'sign', 'unit', 'nesterov'] as const;

/** The baselines seeded into the paper's initial population; the rest is random. */
export const PAPER_BASELINE_IDS = ['sgd-momentum', 'adam', 'adamw', 'rmsprop'] as const;

/** The paper's learning-rate schedules: its warmup and cosine flags, each on or off. */
export const PAPER_SCHEDULE_IDS = ['constant', 'warmup', 'cosine', 'warmup-cosine'] as const;

/** The look-ahead of the paper's nesterov term, m + 0.9·(g − m). */
export const NESTEROV_LOOKAHEAD = 0.9;

/** The paper's baseline genomes' shared defaults. */
export const PAPER_BASELINE_DEFAULTS = { eps: 1e-8, weightDecay: 1e-4 } as const;

/** The genome the paper evolved, as published (duplicate terms and all). */
export const PAPER_EVOLVED = {
  terms: [
    { primitive: 'sign', alpha: 0.4121 },
    { primitive: 'sign', alpha: 0.3224 },
    { primitive: 'adam', alpha: 2.003 },
    { primitive: 'adam', alpha: 1.6322 },
  ],
  lr: 0.0012025,
  beta1: 0.8553,
  beta2: 0.9358,
  eps: 5.44e-9,
  weightDecay: 0.000974,
  biasCorrection: false,
  warmupSteps: 100,
} as const;

/** The paper's result, re-run at 1000 steps × 3 seeds (overall fitness). */
export const PAPER_RESULTS = {
  evolved: 0.899,
  adam: 0.878,
  adamw: 0.87,
  rmsprop: 0.855,
  sgd: 0.76,
} as const;
