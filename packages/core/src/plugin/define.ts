import type {
  EvaluatorDefinition,
  PrimitiveDefinition,
  ScheduleDefinition,
  SelectionDefinition,
  TaskDefinition,
} from './contracts.js';
import type { Options } from './meta.js';

/** The plugin API this core implements. A plugin with another major version is refused. */
export const PLUGIN_API_VERSION = '1.0';

/* eslint-disable @typescript-eslint/no-explicit-any -- contributions are invariant in their options */
export interface EvoptPlugin {
  /** The npm package name, or a unique name for a local plugin. */
  readonly name: string;
  /** The plugin API version it was written against, e.g. "1.0". */
  readonly apiVersion: string;
  /** The plugin's own version, recorded in the run's config.json. */
  readonly version?: string;
  readonly primitives?: readonly PrimitiveDefinition<any>[];
  readonly schedules?: readonly ScheduleDefinition[];
  readonly selections?: readonly SelectionDefinition<any>[];
  readonly tasks?: readonly TaskDefinition<any>[];
  readonly evaluators?: readonly EvaluatorDefinition<any>[];
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Returns its argument; it exists for the types, like Vite's `defineConfig`. */
export function definePlugin<P extends EvoptPlugin>(plugin: P): P {
  return plugin;
}

export function definePrimitive<O extends Options>(definition: PrimitiveDefinition<O>): PrimitiveDefinition<O> {
  return definition;
}

export function defineSchedule(definition: ScheduleDefinition): ScheduleDefinition {
  return definition;
}

export function defineSelection<O extends Options>(definition: SelectionDefinition<O>): SelectionDefinition<O> {
  return definition;
}

export function defineTask<O extends Options>(definition: TaskDefinition<O>): TaskDefinition<O> {
  return definition;
}

export function defineEvaluator<O extends Options>(definition: EvaluatorDefinition<O>): EvaluatorDefinition<O> {
  return definition;
}
