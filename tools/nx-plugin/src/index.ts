// @evopt/nx-plugin: generators that scaffold evopt plugin packages (see generators.json).
export {
  default as primitivePluginGenerator,
  type PrimitivePluginGeneratorSchema,
} from './generators/primitive-plugin.js';
export {
  default as schedulePluginGenerator,
  type SchedulePluginGeneratorSchema,
} from './generators/schedule-plugin.js';
export { default as taskPluginGenerator, type TaskPluginGeneratorSchema } from './generators/task-plugin.js';
export { PRIMITIVE_PLUGIN, SCHEDULE_PLUGIN, TASK_PLUGIN, type PluginKind } from './lib/kinds.js';
export { namespaceOf, type NormalizedOptions, type PluginGeneratorSchema } from './lib/options.js';
