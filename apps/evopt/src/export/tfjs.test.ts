import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGenomeOptimizer } from '@evopt/tfjs';
import type { Genome } from '@evopt/core';
import { fixedData, GENOMES, registries, SHAPES, STEPS, worstRelativeError } from './__fixtures__/genomes.js';
import { exportGenome } from './index.js';

// Inside the package, so that the generated module's '@tensorflow/tfjs-core' resolves from here.
const TMP = fileURLToPath(new URL('../../.export-test-tmp/', import.meta.url));

interface ExportedOptimizer extends tf.Optimizer {
  getConfig(): { totalSteps: number; lr: number };
}
type ExportedModule = { EvolvedOptimizer: new (totalSteps: number) => ExportedOptimizer };

async function importExport(name: string, genome: Genome): Promise<ExportedModule> {
  const file = join(TMP, `${name}.mjs`);
  writeFileSync(file, exportGenome(genome, 'tfjs', registries));
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as ExportedModule;
}

/** Runs an optimizer over the fixed gradients; returns the final weights. */
function train(optimizer: tf.Optimizer): number[][] {
  const { initial, gradients } = fixedData();
  const variables = SHAPES.map((shape, i) => tf.tidy(() => tf.variable(tf.tensor(initial[i] as number[], [...shape]))));
  for (let step = 0; step < STEPS; step++) {
    const grads = gradients[step] as number[][];
    const map = Object.fromEntries(variables.map((v, i) => [v.name, tf.tensor(grads[i] as number[], v.shape)]));
    optimizer.applyGradients(map);
    tf.dispose(Object.values(map));
  }
  const weights = variables.map((v) => Array.from(v.dataSync()));
  tf.dispose(variables);
  optimizer.dispose();
  return weights;
}

describe('export --to tfjs', () => {
  beforeAll(async () => {
    mkdirSync(TMP, { recursive: true });
    await tf.setBackend('cpu');
    await tf.ready();
  });
  afterAll(() => rmSync(TMP, { recursive: true, force: true }));

  for (const [name, genome] of Object.entries(GENOMES)) {
    it(`computes the same weights as evopt's GenomeOptimizer for ${name} over ${STEPS} steps`, async () => {
      const { EvolvedOptimizer } = await importExport(name, genome);
      const tensors = tf.memory().numTensors;
      const exported = train(new EvolvedOptimizer(STEPS));
      expect(tf.memory().numTensors).toBe(tensors);
      const reference = train(createGenomeOptimizer(genome, { totalSteps: STEPS, registries }));
      expect(worstRelativeError(exported, reference)).toBeLessThanOrEqual(1e-5);
      // The weights moved: the comparison is not between two untouched copies.
      expect(worstRelativeError(reference, fixedData().initial)).toBeGreaterThan(1e-3);
    });
  }

  it('is a standalone module: it imports only @tensorflow/tfjs-core and starts with the formula', () => {
    const text = exportGenome(GENOMES['paper-evolved'] as Genome, 'tfjs', registries);
    const imports = [...text.matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1]);
    expect(imports).toEqual(['@tensorflow/tfjs-core']);
    expect(text).not.toMatch(/evopt\//);
    expect(text.split('\n').slice(0, 4).join('\n')).toMatch(
      /\/\/ {3}update: w ← w − η·\(3\.64·m\/\(√v\+ε\) \+ 0\.73·sign\(g\)\)\n\/\/ {3}lr 1\.2e-3 · β1 0\.855/,
    );
  });

  it('serializes: getConfig, className, and restoring state with setWeights', async () => {
    const { EvolvedOptimizer } = await importExport('config', GENOMES.adam as Genome);
    const optimizer = new EvolvedOptimizer(123);
    expect(optimizer.getConfig()).toEqual({ totalSteps: 123, lr: 1e-3 });
    expect(optimizer.getClassName()).toBe('EvolvedOptimizer');
    const w = tf.tidy(() => tf.variable(tf.ones([2])));
    optimizer.applyGradients({ [w.name]: tf.tensor([1, -1]) });
    const saved = await optimizer.getWeights();
    expect(saved.map((s) => s.name)).toEqual(['iter', `${w.name}/m`, `${w.name}/v`]);
    const copy = new EvolvedOptimizer(123);
    await copy.setWeights(saved);
    expect(copy.iterations).toBe(1);
    tf.dispose([w]);
    optimizer.dispose();
    copy.dispose();
  });

  it("keeps a term's state slots per variable: in getWeights, restored by setWeights, freed by dispose", async () => {
    const genome = GENOMES['lion-beta-adabelief-sign-m-wd-warmup-cosine'] as Genome;
    const { EvolvedOptimizer } = await importExport('slots', genome);
    const tensors = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor([0.5, -1, 2])));
    const gradients = [
      [1, -1, 0.5],
      [0.2, 0.3, -2],
      [-1, 1e-6, 1],
      [0.7, -0.7, 0.1],
    ];
    const step = (optimizer: tf.Optimizer, g: number[]) => {
      const tensor = tf.tensor(g);
      optimizer.applyGradients({ [w.name]: tensor });
      tensor.dispose();
    };
    const optimizer = new EvolvedOptimizer(STEPS);
    for (const g of gradients.slice(0, 2)) step(optimizer, g);
    const saved = await optimizer.getWeights();
    // The canonical genome orders its terms by id: adabelief is term 0.
    expect(saved.map((s) => s.name)).toEqual([
      'iter',
      `${w.name}/m`,
      `${w.name}/v`,
      `${w.name}/term0.ema`,
      `${w.name}/term0.s`,
    ]);
    expect(Math.min(...(saved[4]?.tensor.dataSync() ?? []))).toBeGreaterThan(0);

    // A copy restored from the saved weights continues exactly as the original.
    const copy = new EvolvedOptimizer(STEPS);
    await copy.setWeights(saved);
    const before = Array.from(w.dataSync());
    for (const g of gradients.slice(2)) step(optimizer, g);
    const original = Array.from(w.dataSync());
    tf.tidy(() => w.assign(tf.tensor(before)));
    for (const g of gradients.slice(2)) step(copy, g);
    expect(Array.from(w.dataSync())).toEqual(original);
    saved[0]?.tensor.dispose(); // the iteration count, a tensor getWeights makes
    optimizer.dispose();
    copy.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  });
});
