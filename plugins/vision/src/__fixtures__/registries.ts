// The registries the vision tests look genomes and tasks up in: the built-in primitives and
// schedules, and this plugin, frozen as a run freezes them.
import { createRegistries, freezeRegistries, registerPlugin, type ReadonlyRegistries } from '@evopt/core';
import primitives from '@evopt/plugin-primitives';
import schedules from '@evopt/plugin-schedules';
import vision from '../index.js';

export function visionRegistries(): ReadonlyRegistries {
  const registries = createRegistries();
  registerPlugin(registries, primitives);
  registerPlugin(registries, schedules);
  registerPlugin(registries, vision);
  return freezeRegistries(registries);
}
