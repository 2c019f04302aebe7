import { fileURLToPath } from 'node:url';
import { PLUGIN_API_VERSION } from '@evopt/core';
import {
  formatFiles,
  generateFiles,
  joinPathFragments,
  logger,
  writeJson,
  type GeneratorCallback,
  type Tree,
} from '@nx/devkit';
import type { PluginKind } from './kinds.js';
import { normalizeOptions, type NormalizedOptions, type PluginGeneratorSchema } from './options.js';
import { packageJson, tsconfigFiles } from './package-files.js';
import { evoptVersion } from './versions.js';

/** The folder of a generator's templates; the same relative path from src/lib and dist/lib. */
export function templateDir(kind: PluginKind): string {
  return fileURLToPath(new URL(`../../generators/${kind.generator}/files`, import.meta.url));
}

/** The values the templates read (`<%= id %>`, …) and the file-name segments they replace (`__fileName__`). */
function substitutions(o: NormalizedOptions): Record<string, string> {
  return {
    packageName: o.packageName,
    id: o.contribution.id,
    fileName: o.contribution.name,
    propertyName: o.contribution.propertyName,
    className: o.contribution.className,
    // The literal API version the code is written against, not the host's constant: a plugin must
    // say which API it targets so that an evopt with another major version can refuse it.
    apiVersion: PLUGIN_API_VERSION,
  };
}

function nextSteps(o: NormalizedOptions): string {
  const pluginEntry = o.evoptRepo ? `'${o.packageName}'` : `'${o.packageName}' (or './${o.projectRoot}/dist/index.js')`;
  return [
    `Created ${o.packageName} in ${o.projectRoot}, contributing the ${o.kind.kind} "${o.contribution.id}". Next:`,
    `  npm install                       # links it, where the root package.json's workspaces cover ${o.projectRoot}`,
    `  cd ${o.projectRoot} && npm run build && npm test`,
    `  then add ${pluginEntry} to plugins in evopt.config.ts; docs/PLUGINS.md walks through it.`,
  ].join('\n');
}

/**
 * The body of every generator: a package in `directory` (default plugins/<name>) whose plugin
 * contributes one example of `kind`, with conformance tests, tsconfigs shaped like evopt's own
 * plugins, and a README. Writes only new files; refuses a directory that is not empty.
 */
export async function scaffoldPlugin(
  tree: Tree,
  schema: PluginGeneratorSchema & Record<string, unknown>,
  kind: PluginKind,
): Promise<GeneratorCallback> {
  const options = normalizeOptions(tree, schema, kind);
  const root = options.projectRoot;
  writeJson(tree, joinPathFragments(root, 'package.json'), packageJson(options, evoptVersion(tree, options.evoptRepo)));
  for (const [file, json] of Object.entries(tsconfigFiles(options)))
    writeJson(tree, joinPathFragments(root, file), json);
  generateFiles(tree, templateDir(kind), root, substitutions(options));
  if (!options.skipFormat) await formatFiles(tree);
  return () => logger.info(nextSteps(options));
}
