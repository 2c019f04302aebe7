/**
 * The genome optimizer on a backend, as numbers to compare with another backend's: every baseline
 * and one genome per built-in primitive (with clipping, weight decay and a schedule), each run for
 * a few steps on the same seeded weights and gradients. Runs wherever it is called: on the
 * backend under test in the runner, on cpu in cpu-reference.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  BASELINE_IDS,
  baselineGenome,
  createRegistries,
  parseGenome,
  registerPlugin,
  Rng,
  type Genome,
} from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import schedules from '@evopt/plugin-schedules';
import { createGenomeOptimizer } from '@evopt/tfjs';

/** The built-in primitives and schedules, which the genomes below use. */
export function builtinRegistries(): ReturnType<typeof createRegistries> {
  const registries = createRegistries();
  registerPlugin(registries, primitives);
  registerPlugin(registries, schedules);
  return registries;
}

const STEPS = 12;
const SHAPES = [[4, 6], [5]] as const;
/** Mostly unit gradients, with tiny ones (where ε and sign matter) and large ones (where clipping does). */
const GRADIENT_SCALES = [1, 1e-6, 1, 4] as const;
const SCHEDULE_IDS = ['constant', 'cosine', 'warmup', 'warmup-cosine', 'step', 'linear'] as const;

export function traceGenomes(): Genome[] {
  const baselines = BASELINE_IDS.map((id) => baselineGenome(id));
  const perPrimitive = (primitives.primitives ?? []).map((primitive, i) =>
    parseGenome({
      ...baselineGenome('adam'),
      terms: [
        { primitive: primitive.id, alpha: 0.7 },
        { primitive: 'adam', alpha: 0.3 },
      ],
      lr: 0.01,
      clip: 1,
      weightDecay: 0.01,
      biasCorrection: i % 2 === 0,
      schedule: { id: SCHEDULE_IDS[i % SCHEDULE_IDS.length] as string },
    }),
  );
  return [...baselines, ...perPrimitive];
}

const float32Normals = (rng: Rng, count: number, sd: number): number[] =>
  Array.from({ length: count }, () => Math.fround(rng.normal(0, sd)));

/** Each genome's weights after {@link STEPS} steps, flattened: one array per genome of {@link traceGenomes}. */
export function optimizerTrace(): number[][] {
  const registries = builtinRegistries();
  return traceGenomes().map((genome) => {
    const rng = Rng.fromSeed(11);
    const sizes = SHAPES.map((shape) => shape.reduce((a: number, b: number) => a * b, 1));
    const variables = SHAPES.map((shape, i) =>
      tf.variable(tf.tensor(float32Normals(rng, sizes[i] as number, 1), [...shape])),
    );
    const optimizer = createGenomeOptimizer(genome, { totalSteps: STEPS, registries });
    for (let step = 0; step < STEPS; step++) {
      const scale = GRADIENT_SCALES[step % GRADIENT_SCALES.length] as number;
      const gradients = SHAPES.map((shape, i) => tf.tensor(float32Normals(rng, sizes[i] as number, scale), [...shape]));
      optimizer.applyGradients(Object.fromEntries(variables.map((v, i) => [v.name, gradients[i] as tf.Tensor])));
      tf.dispose(gradients);
    }
    const weights = variables.flatMap((v) => Array.from(v.dataSync()));
    optimizer.dispose();
    tf.dispose(variables);
    return weights;
  });
}

export const TRACE_STEPS = STEPS;
