import type { GeneratorCallback, Tree } from '@nx/devkit';
import { SCHEDULE_PLUGIN } from '../lib/kinds.js';
import type { PluginGeneratorSchema } from '../lib/options.js';
import { scaffoldPlugin } from '../lib/scaffold.js';

/** Options of `nx g @evopt/nx-plugin:schedule-plugin`; see generators/schedule-plugin/schema.json. */
export interface SchedulePluginGeneratorSchema extends PluginGeneratorSchema {
  /** The example schedule's name; its id is "<namespace>/<name>". Default: "exp-decay". */
  readonly scheduleName?: string;
}

/** Scaffolds a plugin package with one schedule, its conformance tests and a README. */
export default function schedulePluginGenerator(
  tree: Tree,
  schema: SchedulePluginGeneratorSchema,
): Promise<GeneratorCallback> {
  return scaffoldPlugin(tree, { ...schema }, SCHEDULE_PLUGIN);
}
