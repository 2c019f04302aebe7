// Shared by the export tests: the real registries, the genomes to export, and fixed gradients.
import { baselineGenome, createRegistries, parseGenome, registerPlugin, Rng, type Genome } from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import schedules from '@evopt/plugin-schedules';

export const registries = createRegistries();
registerPlugin(registries, primitives);
registerPlugin(registries, schedules);

const custom = (changes: Partial<Genome>): Genome => parseGenome({ ...baselineGenome('adam'), ...changes });

/** Every built-in primitive and schedule appears in at least one of these. */
export const GENOMES: Readonly<Record<string, Genome>> = {
  adam: baselineGenome('adam'),
  'sgd-momentum': baselineGenome('sgd-momentum'),
  rmsprop: baselineGenome('rmsprop'),
  'paper-evolved': baselineGenome('paper-evolved'),
  'clip-wd-warmup-cosine-sign-nesterov': custom({
    terms: [
      { primitive: 'sign', alpha: 0.4 },
      { primitive: 'nesterov', alpha: 1.3 },
      { primitive: 'adam', alpha: 0.7 },
    ],
    clip: 0.5,
    weightDecay: 1e-2,
    lr: 0.02,
    schedule: { id: 'warmup-cosine', params: { warmupSteps: 10 } },
  }),
  'step-grad-unit-rms-momentum': custom({
    terms: [
      { primitive: 'grad', alpha: 0.5 },
      { primitive: 'unit', alpha: -0.3 },
      { primitive: 'rms', alpha: 0.2 },
      { primitive: 'momentum', alpha: 0.4 },
    ],
    lr: 0.05,
    biasCorrection: false,
    schedule: { id: 'step', params: { stepSize: 7, gamma: 0.7 } },
  }),
  'linear-no-v': custom({
    terms: [{ primitive: 'adam', alpha: 1 }],
    useV: false,
    lr: 0.01,
    schedule: { id: 'linear', params: { endFactor: 0.1 } },
  }),
  'warmup-no-m': custom({
    useM: false,
    terms: [
      { primitive: 'rms', alpha: 1 },
      { primitive: 'nesterov', alpha: 0.5 },
    ],
    schedule: { id: 'warmup', params: { warmupSteps: 20 } },
  }),
  cosine: custom({ schedule: { id: 'cosine', params: {} } }),
  // Bias-corrected m under lion (β of its own), sign-m, and adabelief, whose state slots ema and s the export keeps.
  'lion-beta-adabelief-sign-m-wd-warmup-cosine': custom({
    terms: [
      { primitive: 'lion', alpha: 0.3, options: { beta: 0.7 } },
      { primitive: 'adabelief', alpha: 0.8 },
      { primitive: 'sign-m', alpha: 0.1 },
    ],
    lr: 0.01,
    weightDecay: 1e-2,
    schedule: { id: 'warmup-cosine', params: { warmupSteps: 10 } },
  }),
  'powersign-addsign-lion-clip-no-bias-correction': custom({
    terms: [
      { primitive: 'powersign', alpha: 0.2 },
      { primitive: 'addsign', alpha: 0.3 },
      { primitive: 'lion', alpha: 0.4 },
    ],
    lr: 0.01,
    clip: 0.5,
    biasCorrection: false,
  }),
  // Without m and v: adabelief's numerator is g, its state still moves.
  'adabelief-grad-no-m-no-v': custom({
    useM: false,
    useV: false,
    terms: [
      { primitive: 'adabelief', alpha: 0.5 },
      { primitive: 'grad', alpha: 0.2 },
    ],
    lr: 0.005,
  }),
};

export const STEPS = 50;
export const SHAPES: readonly (readonly number[])[] = [[3, 4], [5], [2, 2, 2]];

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** float32-representable draws, so every implementation sees identical numbers. Every fifth step is tiny, so ε and sign matter. */
export function fixedData(seed = 13): { initial: number[][]; gradients: number[][][] } {
  const rng = Rng.fromSeed(seed);
  const draw = (n: number, sd: number) => Array.from({ length: n }, () => Math.fround(rng.normal(0, sd)));
  const initial = SHAPES.map((shape) => draw(size(shape), 1));
  const gradients = Array.from({ length: STEPS }, (_, step) =>
    SHAPES.map((shape) => draw(size(shape), step % 5 === 4 ? 1e-6 : 1)),
  );
  return { initial, gradients };
}

/** The largest |actual − expected| / max(|expected|, floor) over all elements. */
export function worstRelativeError(
  actual: readonly (readonly number[])[],
  expected: readonly (readonly number[])[],
  floor = 1e-3,
): number {
  let worst = 0;
  expected.forEach((values, i) =>
    values.forEach((e, j) => {
      const a = actual[i]?.[j] ?? Number.NaN;
      worst = Math.max(worst, Number.isNaN(a) ? Infinity : Math.abs(a - e) / Math.max(Math.abs(e), floor));
    }),
  );
  return worst;
}
