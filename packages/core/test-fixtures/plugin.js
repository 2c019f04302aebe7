import { existsSync, writeFileSync } from 'node:fs';
/**
 * A plugin for core's own tests, written as plain ESM so worker threads can load it by URL
 * without a build step. It imports the BUILT @evopt/core (packages/core/dist), like any plugin.
 * It stands in for @evopt/plugin-primitives and @evopt/plugin-schedules, which core cannot
 * depend on, and adds a tiny deterministic task with switches for failure tests.
 */
import { PLUGIN_API_VERSION, ReferenceOptimizer, Rng, definePlugin } from '@evopt/core';
import { z } from 'zod';

const grad = {
  id: 'grad',
  meta: { summary: 'The raw gradient g (SGD).' },
  create: () => ({ formula: 'g', apply: (inputs) => inputs.g }),
};

const adam = {
  id: 'adam',
  meta: { summary: "Adam's direction m/(√v+ε)." },
  create: () => ({ formula: 'm/(√v+ε)', apply: (i, ops) => ops.div(i.m, ops.add(ops.sqrt(i.v), i.eps)) }),
};

const constant = {
  id: 'constant',
  meta: { summary: 'A constant learning rate.', params: {} },
  multiplier: () => 1,
};

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Minimises Σ (i+1)·w_i² from a seeded start; score 1/(1 + final loss). */
const quadratic = {
  id: 'fixtures/quadratic',
  meta: {
    summary: 'A 4-dimensional quadratic, for evaluator tests.',
    options: z.object({
      delayMs: z.number().default(0),
      crashOnLr: z.number().nullable().default(null),
      exitOnLr: z.number().nullable().default(null),
      /** Exit once: only while this marker file does not exist yet (it is created first). */
      exitOnceMarker: z.string().nullable().default(null),
      outcomesShort: z.boolean().default(false),
    }),
  },
  create(options, context) {
    context.log('prepared');
    return {
      async evaluate(items, { onProgress }) {
        const outcomes = [];
        for (const [index, item] of items.entries()) {
          if (options.delayMs > 0) await sleep(options.delayMs);
          if (item.genome.lr === options.exitOnLr) process.exit(1);
          if (item.genome.lr === 0.5 && options.exitOnceMarker && !existsSync(options.exitOnceMarker)) {
            writeFileSync(options.exitOnceMarker, 'crashed once');
            process.exit(1);
          }
          if (item.genome.lr === options.crashOnLr) throw new Error(`poison genome with lr ${item.genome.lr}`);
          const rng = Rng.fromSeed(item.seed);
          const optimizer = new ReferenceOptimizer(item.genome, context.registries, item.steps);
          let w = [0, 1, 2, 3].map(() => rng.normal());
          const loss = () => w.reduce((sum, x, i) => sum + (i + 1) * x * x, 0);
          for (let step = 0; step < item.steps; step++)
            w = optimizer.update(
              w,
              w.map((x, i) => 2 * (i + 1) * x),
            );
          onProgress(index, { step: item.steps, totalSteps: item.steps, loss: loss() });
          const finalLoss = loss();
          outcomes.push(
            Number.isFinite(finalLoss)
              ? { status: 'ok', score: 1 / (1 + finalLoss), metrics: { finalLoss }, stepsCompleted: item.steps }
              : { status: 'diverged', score: -1, metrics: {}, stepsCompleted: item.steps },
          );
        }
        return options.outcomesShort ? outcomes.slice(1) : outcomes;
      },
    };
  },
};

export default definePlugin({
  name: '@evopt/fixtures',
  apiVersion: PLUGIN_API_VERSION,
  version: '0.0.0',
  primitives: [grad, adam],
  schedules: [constant],
  tasks: [quadratic],
});
