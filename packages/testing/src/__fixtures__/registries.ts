// Registries for this package's tests. @evopt/testing cannot depend on @evopt/plugin-primitives or
// -schedules (they test themselves with it), so the few contributions the baseline genomes need
// are written here, with the same formulas: grad, momentum, adam and the constant schedule.
import {
  createRegistries,
  definePlugin,
  definePrimitive,
  defineSchedule,
  freezeRegistries,
  PLUGIN_API_VERSION,
  registerPlugin,
  type EvoptPlugin,
  type ReadonlyRegistries,
} from '@evopt/core';

const grad = definePrimitive({
  id: 'grad',
  meta: { summary: 'g' },
  create: () => ({ formula: 'g', apply: ({ g }) => g }),
});
const momentum = definePrimitive({
  id: 'momentum',
  meta: { summary: 'm' },
  create: () => ({ formula: 'm', apply: ({ m }) => m }),
});
const adam = definePrimitive({
  id: 'adam',
  meta: { summary: 'm/(√v+ε)' },
  create: () => ({ formula: 'm/(√v+ε)', apply: ({ m, v, eps }, ops) => ops.div(m, ops.add(ops.sqrt(v), eps)) }),
});

const baselines = definePlugin({
  // Named like evopt's own plugins, which alone may register bare ids such as "adam".
  name: '@evopt/testing-fixture-baselines',
  apiVersion: PLUGIN_API_VERSION,
  primitives: [grad, momentum, adam],
  schedules: [defineSchedule({ id: 'constant', meta: { summary: 'η', params: {} }, multiplier: () => 1 })],
});

/** Frozen registries with grad, momentum, adam, constant and the given plugins. */
export function baselineRegistries(...plugins: EvoptPlugin[]): ReadonlyRegistries {
  const registries = createRegistries();
  for (const plugin of [baselines, ...plugins]) registerPlugin(registries, plugin);
  return freezeRegistries(registries);
}
