// Shared by the optimizer and training tests: the real primitives and schedules, and seeded data.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { baselineGenome, createRegistries, parseGenome, registerPlugin, type Genome, type Rng } from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import schedules from '@evopt/plugin-schedules';

export const registries = createRegistries();
registerPlugin(registries, primitives);
registerPlugin(registries, schedules);

/** Selects the cpu backend: deterministic and always available. */
export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/** A genome from a baseline id with some fields changed. */
export function genomeFrom(id: string, changes: Partial<Genome> = {}): Genome {
  return parseGenome({ ...baselineGenome(id), ...changes });
}

/** `count` float32-representable normal draws, so the reference and tensors see identical numbers. */
export function float32Normals(rng: Rng, count: number, sd = 1): number[] {
  return Array.from({ length: count }, () => Math.fround(rng.normal(0, sd)));
}
