// Test-only: the paper's primitives and schedules, written independently of the plugins so core's
// tests need no package that depends on core.
import { z } from 'zod';
import { definePlugin, definePrimitive, defineSchedule, PLUGIN_API_VERSION } from '../plugin/define.js';
import type { ElementwiseOps } from '../plugin/ops.js';
import type { PrimitiveInputs, SelectionStrategy } from '../plugin/contracts.js';
import { createRegistries, freezeRegistries, type ReadonlyRegistries } from '../registry/registries.js';
import { registerPlugin } from '../plugin/validate.js';
import type { EngineDependencies } from '../engine/engine.js';
import { createGenomeSpace } from '../engine/space.js';
import { baselineGenome } from '../genome/baselines.js';

type Apply = <T>(x: PrimitiveInputs<T>, ops: ElementwiseOps<T>) => T;
const simple = (id: string, formula: string, apply: Apply, reducesTo?: { withoutM?: string; withoutV?: string }) =>
  definePrimitive({
    id,
    meta: { summary: formula, ...(reducesTo && { reducesTo }) },
    create: () => ({ formula, apply }),
  });

export const fixturePrimitives = [
  simple('grad', 'g', (x) => x.g),
  simple('momentum', 'm', (x) => x.m, { withoutM: 'grad' }),
  simple('rms', 'g/(√v+ε)', (x, o) => o.div(x.g, o.add(o.sqrt(x.v), x.eps)), { withoutV: 'unit' }),
  simple('adam', 'm/(√v+ε)', (x, o) => o.div(x.m, o.add(o.sqrt(x.v), x.eps)), { withoutM: 'rms' }),
  simple('sign', 'sign(g)', (x, o) => o.sign(x.g)),
  simple('unit', 'g/(|g|+ε)', (x, o) => o.div(x.g, o.add(o.abs(x.g), x.eps))),
  simple('nesterov', 'm+0.9·(g−m)', (x, o) => o.add(x.m, o.mul(o.sub(x.g, x.m), 0.9)), { withoutM: 'grad' }),
  // A primitive with options and a state slot, to exercise both.
  definePrimitive({
    id: 'belief',
    meta: { summary: 'm/(√s+ε), s = EMA((g−m)²)', options: z.object({ beta: z.number().default(0.9) }) },
    create: ({ beta }) => ({
      formula: `m/(√s+ε) [β=${beta}]`,
      state: [
        {
          name: 's',
          init: 0,
          update: (x, o) => o.add(o.mul(x.state['s'] as never, beta), o.mul(o.square(o.sub(x.g, x.m)), 1 - beta)),
        },
      ],
      apply: (x, o) => o.div(x.m, o.add(o.sqrt(x.state['s'] as never), x.eps)),
    }),
  }),
];

const warmupSteps = { min: 1, max: 1000, default: 100, integer: true };
export const fixtureSchedules = [
  defineSchedule({ id: 'constant', meta: { summary: 'constant', params: {} }, multiplier: () => 1 }),
  defineSchedule({
    id: 'warmup',
    meta: { summary: 'warmup', params: { warmupSteps } },
    multiplier: (t, _T, p) => (t < (p['warmupSteps'] ?? 1) ? (t + 1) / (p['warmupSteps'] ?? 1) : 1),
  }),
  defineSchedule({
    id: 'cosine',
    meta: { summary: 'cosine', params: {} },
    multiplier: (t, T) => 0.5 * (1 + Math.cos((Math.PI * t) / T)),
  }),
  defineSchedule({
    id: 'warmup-cosine',
    meta: { summary: 'warmup × cosine', params: { warmupSteps } },
    multiplier: (t, T, p) =>
      (t < (p['warmupSteps'] ?? 1) ? (t + 1) / (p['warmupSteps'] ?? 1) : 1) * 0.5 * (1 + Math.cos((Math.PI * t) / T)),
  }),
  defineSchedule({
    id: 'step',
    meta: {
      summary: 'step',
      params: {
        stepSize: { min: 1, max: 1000, default: 100, integer: true },
        gamma: { min: 0.1, max: 1, default: 0.5 },
      },
    },
    multiplier: (t, _T, p) => (p['gamma'] ?? 1) ** Math.floor(t / (p['stepSize'] ?? 1)),
  }),
];

export const fixturePlugin = definePlugin({
  name: '@evopt/fixtures',
  apiVersion: PLUGIN_API_VERSION,
  primitives: fixturePrimitives,
  schedules: fixtureSchedules,
});

export function fixtureRegistries(): ReadonlyRegistries {
  const registries = createRegistries();
  registerPlugin(registries, fixturePlugin);
  return freezeRegistries(registries);
}

/** A tournament of k, for engine tests. */
export function fixtureTournament(k = 4): SelectionStrategy {
  return {
    select(scored, count, rng) {
      return Array.from({ length: count }, () => {
        let best = rng.int(0, scored.length - 1);
        for (let i = 1; i < k; i++) {
          const other = rng.int(0, scored.length - 1);
          if ((scored[other]?.fitness ?? -Infinity) > (scored[best]?.fitness ?? -Infinity)) best = other;
        }
        return best;
      });
    },
  };
}

/** Engine dependencies over the fixture registries: the paper's space (4 terms), a k-tournament, and these baselines as seeds. */
export function fixtureEngineDeps(
  baselines: readonly string[] = ['sgd-momentum', 'adam', 'adamw', 'rmsprop'],
  k = 4,
): EngineDependencies {
  const registries = fixtureRegistries();
  return {
    space: createGenomeSpace(registries, { primitives: null, schedules: null, maxTerms: 4 }),
    selection: fixtureTournament(k),
    lookups: registries,
    seeds: baselines.map(baselineGenome),
  };
}
