import type { GeneratorCallback, Tree } from '@nx/devkit';
import { PRIMITIVE_PLUGIN } from '../lib/kinds.js';
import type { PluginGeneratorSchema } from '../lib/options.js';
import { scaffoldPlugin } from '../lib/scaffold.js';

/** Options of `nx g @evopt/nx-plugin:primitive-plugin`; see generators/primitive-plugin/schema.json. */
export interface PrimitivePluginGeneratorSchema extends PluginGeneratorSchema {
  /** The example primitive's name; its id is "<namespace>/<name>". Default: "clipped-adam". */
  readonly primitiveName?: string;
}

/** Scaffolds a plugin package with one primitive, its conformance tests and a README. */
export default function primitivePluginGenerator(
  tree: Tree,
  schema: PrimitivePluginGeneratorSchema,
): Promise<GeneratorCallback> {
  return scaffoldPlugin(tree, { ...schema }, PRIMITIVE_PLUGIN);
}
