import { fileURLToPath } from 'node:url';
import { buildRegistries, type EvaluatorContext, type LoadedRegistries } from '@evopt/core';

/** The plugins every bench section loads: the built-ins, the test double and the vision tasks. */
export const BENCH_PLUGINS = [
  '@evopt/plugin-primitives',
  '@evopt/plugin-schedules',
  '@evopt/plugin-selection',
  '@evopt/plugin-quadratic',
  '@evopt/plugin-vision',
];

const HERE = fileURLToPath(new URL('.', import.meta.url));

export async function benchRegistries(): Promise<LoadedRegistries> {
  return buildRegistries(BENCH_PLUGINS, HERE);
}

export function evaluatorContext(
  loaded: LoadedRegistries,
  taskOptions: EvaluatorContext['taskOptions'],
  backend = 'wasm',
): EvaluatorContext {
  return {
    registries: loaded.registries,
    pluginUrls: loaded.plugins.map((p) => p.url),
    taskOptions,
    dataDir: HERE,
    backend,
    log: () => undefined,
  };
}
