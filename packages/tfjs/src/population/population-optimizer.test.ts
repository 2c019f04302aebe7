import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistries, definePrimitive, registerPlugin, Rng, type Genome } from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import schedules from '@evopt/plugin-schedules';
import { float32Normals, genomeFrom, useCpuBackend } from '../optimizer/__fixtures__/registries.js';
import { createGenomeOptimizer, type GenomeOptimizer } from '../optimizer/genome-optimizer.js';
import { PopulationGenomeOptimizer } from './population-optimizer.js';

// The real primitives and schedules, plus two test terms: one with a state slot (AdaBelief's
// s = EMA_β2((g − m)²)), and one that is NaN everywhere.
const registries = createRegistries();
registerPlugin(registries, primitives);
registerPlugin(registries, schedules);
registries.primitives.register(
  definePrimitive({
    id: 'test/belief',
    meta: { summary: 'm/(√s+ε) with s = EMA_β2((g − m)²).' },
    create: () => ({
      formula: 'm/(√s+ε)',
      state: [
        {
          name: 's',
          init: 0,
          update: ({ g, m, beta2, state }, ops) => {
            const d2 = ops.square(ops.sub(g, m));
            return ops.add(ops.mul(state['s'] as typeof g, beta2), ops.sub(d2, ops.mul(d2, beta2)));
          },
        },
      ],
      apply: ({ m, eps, state }, ops) => ops.div(m, ops.add(ops.sqrt(state['s'] as typeof m), eps)),
    }),
  }),
  'test',
);
registries.primitives.register(
  definePrimitive({
    id: 'test/nan',
    meta: { summary: '√(−|g|−1): NaN everywhere.' },
    create: () => ({ formula: 'NaN', apply: ({ g }, ops) => ops.sqrt(ops.sub(ops.neg(ops.abs(g)), 1)) }),
  }),
  'test',
);

const STEPS = 10;
const SHAPES = [[6, 5], [7]] as const;

/** Adam with bias correction; sign + momentum with clip, weight decay and warmup-cosine; rms without m. */
const MIXED: readonly Genome[] = [
  genomeFrom('adam', { lr: 0.01 }),
  genomeFrom('adam', {
    terms: [
      { primitive: 'sign', alpha: 0.5 },
      { primitive: 'momentum', alpha: 1.5 },
    ],
    lr: 0.02,
    beta1: 0.8,
    useV: false,
    biasCorrection: false,
    clip: 0.7,
    weightDecay: 0.05,
    schedule: { id: 'warmup-cosine', params: { warmupSteps: 4 } },
  }),
  genomeFrom('rmsprop', {
    lr: 0.005,
    eps: 1e-3,
    beta2: 0.95,
    biasCorrection: true,
    schedule: { id: 'cosine', params: {} },
  }),
];

interface Run {
  /** Worst |stacked − solo| over every element and step, over the largest |solo weight| of that member. */
  readonly worstRelative: number;
  /** The members' weights and optimizer state after the last step, per variable: [P][…]. */
  readonly final: Float32Array[];
  readonly state: Record<string, Float32Array>[];
}

/**
 * Runs a PopulationGenomeOptimizer over stacked variables [P, …] and one GenomeOptimizer per genome
 * over its own variables, feeding member p's slice of the same float32 gradients to genome p.
 * `frozen` members are set inactive before `freezeAt`; from then on their solo runs stop too.
 */
function compare(genomes: readonly Genome[], options: { frozen?: readonly number[]; freezeAt?: number } = {}): Run {
  const { frozen = [], freezeAt = STEPS } = options;
  const P = genomes.length;
  const rng = Rng.fromSeed(3);
  const initial = SHAPES.map((shape) =>
    float32Normals(
      rng,
      shape.reduce((a, b) => a * b, 1),
    ),
  );
  const stacked = tf.tidy(() =>
    SHAPES.map((shape, i) =>
      tf.variable(tf.tile(tf.tensor(initial[i] as number[], [1, ...shape]), [P, ...shape.map(() => 1)])),
    ),
  );
  const solo = tf.tidy(() =>
    genomes.map(() => SHAPES.map((shape, i) => tf.variable(tf.tensor(initial[i] as number[], [...shape])))),
  );
  const population = new PopulationGenomeOptimizer(genomes, { totalSteps: STEPS, registries });
  const optimizers: GenomeOptimizer[] = genomes.map((genome) =>
    createGenomeOptimizer(genome, { totalSteps: STEPS, registries }),
  );
  let worstRelative = 0;
  try {
    for (let step = 0; step < STEPS; step++) {
      if (step === freezeAt) for (const member of frozen) population.setActive(member, false);
      // Mostly unit-scale gradients, with tiny ones (sign, ε matter) and large ones (clipping matters).
      const scale = [1, 1e-6, 1, 4][step % 4] as number;
      const gradients = SHAPES.map((shape) =>
        tf.tensor(float32Normals(rng, P * shape.reduce((a, b) => a * b, 1), scale), [P, ...shape]),
      );
      population.applyGradients(Object.fromEntries(stacked.map((v, i) => [v.name, gradients[i] as tf.Tensor])));
      genomes.forEach((_, p) => {
        if (step >= freezeAt && frozen.includes(p)) return;
        const slices = gradients.map((g) => tf.tidy(() => tf.squeeze(tf.slice(g, [p], [1]), [0])));
        optimizers[p]?.applyGradients(
          Object.fromEntries((solo[p] as tf.Variable[]).map((v, i) => [v.name, slices[i] as tf.Tensor])),
        );
        tf.dispose(slices);
      });
      tf.dispose(gradients);
      stacked.forEach((variable, i) => {
        const values = variable.dataSync();
        const size = values.length / P;
        genomes.forEach((_, p) => {
          const expected = (solo[p]?.[i] as tf.Variable).dataSync() as Float32Array;
          const scaleOf = expected.reduce((max, w) => Math.max(max, Math.abs(w)), 0);
          expected.forEach((w, k) => {
            const actual = values[p * size + k] as number;
            // NaN where the solo run is NaN too counts as agreement; NaN anywhere else makes the result NaN.
            if (!Object.is(actual, w)) worstRelative = Math.max(worstRelative, Math.abs(actual - w) / scaleOf);
          });
        });
      });
    }
    return {
      worstRelative,
      final: stacked.map((v) => v.dataSync() as Float32Array),
      state: stacked.map((v) =>
        Object.fromEntries(
          Object.entries(population.stateVariables(v.name)).map(([k, s]) => [k, s.dataSync() as Float32Array]),
        ),
      ),
    };
  } finally {
    population.dispose();
    for (const optimizer of optimizers) optimizer.dispose();
    tf.dispose([...stacked, ...solo.flat()]);
  }
}

/** Member p's elements of a stacked [P, …] array. */
const memberOf = (values: Float32Array, p: number, P: number): number[] => {
  const size = values.length / P;
  return Array.from(values.subarray(p * size, (p + 1) * size));
};

describe('PopulationGenomeOptimizer', () => {
  beforeAll(useCpuBackend);

  it('updates each member exactly as a GenomeOptimizer with its genome alone: adam, sign+momentum with clip/decay/warmup, rms without m', () => {
    const { worstRelative, final } = compare(MIXED);
    expect(worstRelative).toBeLessThan(1e-6);
    // The members really differ: three genomes, three different sets of weights.
    const first = final[0] as Float32Array;
    expect(memberOf(first, 0, 3)).not.toEqual(memberOf(first, 1, 3));
    expect(memberOf(first, 1, 3)).not.toEqual(memberOf(first, 2, 3));
  });

  it("handles terms in different orders, a repeated term and a term with a state slot, in each genome's own order", () => {
    const genomes = [
      genomeFrom('adam', {
        terms: [
          { primitive: 'test/belief', alpha: 0.7 },
          { primitive: 'adam', alpha: 0.4 },
          { primitive: 'sign', alpha: 0.1 },
        ],
        lr: 0.01,
      }),
      genomeFrom('adam', {
        terms: [
          { primitive: 'sign', alpha: -0.2 },
          { primitive: 'test/belief', alpha: 1.1 },
          { primitive: 'sign', alpha: 0.3 },
        ],
        lr: 0.02,
        useM: false,
      }),
      genomeFrom('adam', { terms: [{ primitive: 'adam', alpha: 1 }], lr: 0.01, beta2: 0.9 }),
      genomeFrom('sgd-momentum', {
        terms: [
          { primitive: 'nesterov', alpha: 1 },
          { primitive: 'unit', alpha: 0.05 },
        ],
        lr: 0.03,
        clip: 2,
      }),
    ];
    expect(compare(genomes).worstRelative).toBeLessThan(1e-6);
  });

  it('runs the built-in stateful and optioned terms with per-member β1, β2, ε: adabelief (slots ema, s), lion with two βs, the sign family', () => {
    // Different β1, β2 and ε per member make them [P, 1, …] tensors inside the terms (β2^(t+1), 1 − β).
    const genomes = [
      genomeFrom('adam', {
        terms: [
          { primitive: 'adabelief', alpha: 1 },
          { primitive: 'lion', alpha: 0.2 },
        ],
        lr: 0.01,
        beta1: 0.9,
        beta2: 0.99,
      }),
      genomeFrom('adam', {
        terms: [
          { primitive: 'lion', alpha: 0.5, options: { beta: 0.5 } },
          { primitive: 'adabelief', alpha: 0.7 },
        ],
        lr: 0.02,
        beta1: 0.8,
        beta2: 0.9,
        eps: 1e-6,
        biasCorrection: false,
      }),
      genomeFrom('adam', {
        terms: [
          { primitive: 'powersign', alpha: 0.3 },
          { primitive: 'addsign', alpha: 0.3 },
          { primitive: 'sign-m', alpha: 0.1 },
        ],
        lr: 0.02,
        beta1: 0.7,
        useV: false,
      }),
      genomeFrom('adam', {
        terms: [{ primitive: 'adabelief', alpha: 0.5 }],
        lr: 0.01,
        beta1: 0.95,
        beta2: 0.95,
        useM: false,
        clip: 1,
      }),
    ];
    const { worstRelative, state } = compare(genomes);
    expect(worstRelative).toBeLessThan(1e-6);
    // One union term per distinct (primitive, options), and only adabelief keeps state: one pair of slots.
    expect(
      Object.keys(state[0] ?? {})
        .filter((name) => name.startsWith('term'))
        .sort(),
    ).toEqual(['term0.ema', 'term0.s']);
    // Member 2 has no adabelief: its slice of the slots stays at their init.
    expect(memberOf(state[0]?.['term0.s'] as Float32Array, 2, 4).every((x) => x === 0)).toBe(true);
    expect(memberOf(state[0]?.['term0.s'] as Float32Array, 3, 4).every((x) => x > 0)).toBe(true);
  });

  it('keeps a term that is NaN away from the members that do not use it', () => {
    const genomes = [
      genomeFrom('adam', { terms: [{ primitive: 'test/nan', alpha: 1 }] }),
      MIXED[0] as Genome,
      MIXED[2] as Genome,
    ];
    const { final, worstRelative } = compare(genomes, { frozen: [0], freezeAt: 1 });
    expect(worstRelative).toBeLessThan(1e-6);
    expect(memberOf(final[0] as Float32Array, 0, 3).every(Number.isNaN)).toBe(true);
    expect([1, 2].every((p) => memberOf(final[0] as Float32Array, p, 3).every(Number.isFinite))).toBe(true);
  });

  it('freezes an inactive member: its weights and state stop changing while the others go on', () => {
    const frozenAfter3 = compare(MIXED, { frozen: [1], freezeAt: 3 });
    expect(frozenAfter3.worstRelative).toBeLessThan(1e-6);
    const stoppedAt3 = compare(MIXED, { frozen: [0, 1, 2], freezeAt: 3 });
    // Member 1's weights and m equal those of a run where everyone stopped after 3 steps.
    frozenAfter3.final.forEach((values, i) => {
      expect(memberOf(values, 1, 3)).toEqual(memberOf(stoppedAt3.final[i] as Float32Array, 1, 3));
      expect(memberOf(frozenAfter3.state[i]?.['m'] as Float32Array, 1, 3)).toEqual(
        memberOf(stoppedAt3.state[i]?.['m'] as Float32Array, 1, 3),
      );
      expect(memberOf(values, 0, 3)).not.toEqual(memberOf(stoppedAt3.final[i] as Float32Array, 0, 3));
    });
  });

  it('frees every tensor it makes: per step, and its state on dispose', () => {
    const before = tf.memory().numTensors;
    compare(MIXED, { frozen: [2], freezeAt: 5 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects gradients for variables that are not stacked over its members', () => {
    const population = new PopulationGenomeOptimizer(MIXED, { totalSteps: STEPS, registries });
    const variable = tf.variable(tf.zeros([2, 4]));
    const gradient = tf.ones([2, 4]);
    expect(() => population.applyGradients({ [variable.name]: gradient })).toThrow(/stacked variables \[3, …\]/);
    tf.dispose([variable, gradient]);
    population.dispose();
  });
});
