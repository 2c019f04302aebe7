import type {
  EvaluatorDefinition,
  PrimitiveDefinition,
  ScheduleDefinition,
  SelectionDefinition,
  TaskDefinition,
} from '../plugin/contracts.js';
import { Registry, type ReadonlyRegistry } from './registry.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- registries hold contributions of any options type */
export interface Registries {
  readonly primitives: Registry<PrimitiveDefinition<any>>;
  readonly schedules: Registry<ScheduleDefinition>;
  readonly selections: Registry<SelectionDefinition<any>>;
  readonly tasks: Registry<TaskDefinition<any>>;
  readonly evaluators: Registry<EvaluatorDefinition<any>>;
}

export interface ReadonlyRegistries {
  readonly primitives: ReadonlyRegistry<PrimitiveDefinition<any>>;
  readonly schedules: ReadonlyRegistry<ScheduleDefinition>;
  readonly selections: ReadonlyRegistry<SelectionDefinition<any>>;
  readonly tasks: ReadonlyRegistry<TaskDefinition<any>>;
  readonly evaluators: ReadonlyRegistry<EvaluatorDefinition<any>>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function createRegistries(): Registries {
  return {
    primitives: new Registry('primitive'),
    schedules: new Registry('schedule'),
    selections: new Registry('selection strategy', 'selection strategies'),
    tasks: new Registry('task'),
    evaluators: new Registry('evaluator'),
  };
}

export function freezeRegistries(registries: Registries): ReadonlyRegistries {
  for (const registry of Object.values(registries) as Registry<{ id: string }>[]) registry.freeze();
  return registries;
}
