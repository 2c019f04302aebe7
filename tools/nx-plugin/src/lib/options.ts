import { CONTRIBUTION_ID, EvoptError } from '@evopt/core';
import { names, normalizePath, type Tree } from '@nx/devkit';
import type { PluginKind } from './kinds.js';

/** The options every generator takes; see generators/<generator>/schema.json. */
export interface PluginGeneratorSchema {
  /** The npm package name, e.g. "my-terms" or "@acme/my-terms". */
  readonly name: string;
  /** Where the package goes, relative to the workspace root. Default: plugins/<name without scope>. */
  readonly directory?: string;
  /** Skip the workspace's formatter (prettier or oxfmt). */
  readonly skipFormat?: boolean;
}

/** Everything the templates and file builders need, derived once from the schema options. */
export interface NormalizedOptions {
  readonly kind: PluginKind;
  readonly packageName: string;
  /** The id namespace: the package name without its scope (and without an "evopt-plugin-" prefix). */
  readonly namespace: string;
  /** The package's directory, relative to the workspace root, without a trailing slash. */
  readonly projectRoot: string;
  /** The example contribution: its name, its id and the identifiers its file exports. */
  readonly contribution: {
    readonly name: string;
    readonly id: string;
    /** camelCase, e.g. clippedAdam. */
    readonly propertyName: string;
    /** PascalCase, e.g. ClippedAdam. */
    readonly className: string;
  };
  /** True inside the evopt repository itself: workspace versions, the root tsconfig and eslint, nx tags. */
  readonly evoptRepo: boolean;
  readonly skipFormat: boolean;
}

const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;
const CONTRIBUTION_NAME = /^[a-z][a-z0-9-]*$/;

function invalid(message: string, fix: string, details: Record<string, unknown>): EvoptError {
  return new EvoptError('CONFIG_INVALID', message, { fix, details });
}

/**
 * The id namespace for a package, the way evopt's plugin validation suggests it: the scope and an
 * "evopt-plugin-" prefix dropped, so "@acme/evopt-plugin-lion" contributes "lion/…".
 */
export function namespaceOf(packageName: string): string {
  return packageName.replace(/^@[^/]+\//, '').replace(/^evopt-plugin-(?=.)/, '');
}

/** True when the tree is the evopt repository (its core package sits at packages/core). */
export function isEvoptRepo(tree: Tree): boolean {
  const text = tree.read('packages/core/package.json', 'utf-8');
  if (text === null) return false;
  try {
    return (JSON.parse(text) as { name?: unknown }).name === '@evopt/core';
  } catch {
    return false;
  }
}

function projectRootOf(tree: Tree, schema: PluginGeneratorSchema, unscoped: string): string {
  const given = schema.directory?.trim();
  const root = normalizePath(given ? given : `plugins/${unscoped}`)
    .replace(/^\.\//, '')
    .replace(/\/+$/, '');
  if (
    root === '' ||
    root === '.' ||
    root.startsWith('/') ||
    /^[A-Za-z]:/.test(root) ||
    root.split('/').includes('..')
  ) {
    throw invalid(
      `--directory must be a folder inside the workspace, relative to its root; found "${schema.directory}".`,
      'Pass a relative path such as --directory packages/my-terms.',
      { directory: schema.directory },
    );
  }
  if (tree.exists(root) && (tree.isFile(root) || tree.children(root).length > 0)) {
    throw invalid(
      `"${root}" already exists and is not empty; the generator writes a new package and never overwrites one.`,
      `Choose another --directory, or remove "${root}" first.`,
      { directory: root },
    );
  }
  return root;
}

/** Checks the schema options and derives the names the templates use; throws an EvoptError that says the fix. */
export function normalizeOptions(
  tree: Tree,
  schema: PluginGeneratorSchema & Record<string, unknown>,
  kind: PluginKind,
): NormalizedOptions {
  const packageName = typeof schema.name === 'string' ? schema.name.trim() : '';
  if (!PACKAGE_NAME.test(packageName)) {
    throw invalid(
      `The plugin's name must be an npm package name such as "my-terms" or "@acme/my-terms"; found ${JSON.stringify(schema.name)}.`,
      'Use lowercase letters, digits and dashes, with an optional @scope/.',
      { name: schema.name },
    );
  }
  const namespace = namespaceOf(packageName);
  if (!CONTRIBUTION_ID.test(namespace)) {
    throw invalid(
      `The package name "${packageName}" gives the id namespace "${namespace}", but namespaces are lowercase letters, digits and dashes, starting with a letter.`,
      'Rename the package, e.g. "my-terms" (its contributions become "my-terms/<name>").',
      { name: packageName, namespace },
    );
  }
  const given = schema[kind.nameOption];
  const name = given === undefined ? kind.defaultName : given;
  if (typeof name !== 'string' || !CONTRIBUTION_NAME.test(name)) {
    throw invalid(
      `--${names(kind.nameOption).fileName} must be lowercase letters, digits and dashes, starting with a letter; found ${JSON.stringify(given)}.`,
      `Pass a name such as --${names(kind.nameOption).fileName} ${kind.defaultName}.`,
      { [kind.nameOption]: given },
    );
  }
  const { propertyName, className } = names(name);
  return {
    kind,
    packageName,
    namespace,
    projectRoot: projectRootOf(tree, schema, packageName.replace(/^@[^/]+\//, '')),
    contribution: { name, id: `${namespace}/${name}`, propertyName, className },
    evoptRepo: isEvoptRepo(tree),
    skipFormat: schema.skipFormat === true,
  };
}
