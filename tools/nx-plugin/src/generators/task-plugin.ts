import type { GeneratorCallback, Tree } from '@nx/devkit';
import { TASK_PLUGIN } from '../lib/kinds.js';
import type { PluginGeneratorSchema } from '../lib/options.js';
import { scaffoldPlugin } from '../lib/scaffold.js';

/** Options of `nx g @evopt/nx-plugin:task-plugin`; see generators/task-plugin/schema.json. */
export interface TaskPluginGeneratorSchema extends PluginGeneratorSchema {
  /** The example task's name; its id is "<namespace>/<name>". Default: "logistic". */
  readonly taskName?: string;
}

/** Scaffolds a plugin package with one task, its conformance tests and a README. */
export default function taskPluginGenerator(tree: Tree, schema: TaskPluginGeneratorSchema): Promise<GeneratorCallback> {
  return scaffoldPlugin(tree, { ...schema }, TASK_PLUGIN);
}
