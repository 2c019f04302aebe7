// @ts-check
// The monorepo's layers, in one table: which projects a project may import, by its nx tags.
// The ESLint rule (eslint-rule.js) applies it to every import in every linted file; the graph
// check (check-graph.js) applies it to the runtime dependencies in package.json and rejects cycles.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * @typedef {{ readonly src: readonly string[] | '*', readonly tests?: readonly string[] }} Layer
 * `src`: the scopes a project's code may import (its own project is always allowed);
 * `tests`: scopes its tests (and test fixtures) may import besides those.
 */

/** @type {Readonly<Record<string, Layer>>} */
export const LAYERS = {
  // Contracts, genome, engine: nothing of evopt's own above it.
  'scope:core': { src: ['scope:core'] },
  // The TensorFlow.js runtime: core only; its tests train with the real primitives and schedules.
  'scope:tfjs': { src: ['scope:core'], tests: ['scope:plugin'] },
  // The conformance kits: core and the runtime they check on; their tests use real plugins.
  'scope:testing': { src: ['scope:core', 'scope:tfjs', 'scope:testing'], tests: ['scope:plugin'] },
  // Plugins import packages only: core and tfjs at run time, the kit and other plugins in tests.
  'scope:plugin': { src: ['scope:core', 'scope:tfjs'], tests: ['scope:testing', 'scope:plugin'] },
  // The app is the composition root: anything but the test kits at run time.
  'scope:app': { src: ['scope:core', 'scope:tfjs', 'scope:plugin'], tests: ['scope:testing'] },
  // Tools (bench, generators, this checker) import anything.
  'scope:tools': { src: '*' },
};

const PROJECT_FOLDERS = ['packages', 'plugins', 'apps', 'tools'];

/**
 * @typedef {{ readonly name: string, readonly dir: string, readonly scope: string,
 *   readonly dependencies: readonly string[] }} Project
 */

/**
 * Reads every workspace project's name, folder and scope tag.
 * @param {string} root the workspace root
 * @returns {Project[]}
 */
export function readProjects(root) {
  /** @type {Project[]} */
  const projects = [];
  for (const folder of PROJECT_FOLDERS) {
    const parent = join(root, folder);
    if (!existsSync(parent)) continue;
    for (const entry of readdirSync(parent, { withFileTypes: true })) {
      const file = join(parent, entry.name, 'package.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      const scopes = (pkg.nx?.tags ?? []).filter((/** @type {string} */ t) => t.startsWith('scope:'));
      if (scopes.length !== 1) {
        throw new Error(
          `${relative(root, file)}: a project needs exactly one scope tag (nx.tags), one of ` +
            `${Object.keys(LAYERS).join(', ')}; found ${scopes.length ? scopes.join(', ') : 'none'}.`,
        );
      }
      if (!(scopes[0] in LAYERS)) {
        throw new Error(
          `${relative(root, file)}: unknown scope tag "${scopes[0]}"; the layers are ${Object.keys(LAYERS).join(', ')} (tools/layers/src/layers.js).`,
        );
      }
      projects.push({
        name: pkg.name,
        dir: join(parent, entry.name),
        scope: scopes[0],
        dependencies: Object.keys(pkg.dependencies ?? {}),
      });
    }
  }
  return projects;
}

/**
 * The project an import specifier names (`@evopt/core`, `@evopt/testing/kit`, `evopt`), if any.
 * @param {readonly Project[]} projects
 * @param {string} specifier
 */
export function projectNamed(projects, specifier) {
  return projects.find((p) => specifier === p.name || specifier.startsWith(`${p.name}/`));
}

/**
 * The project a file belongs to.
 * @param {readonly Project[]} projects
 * @param {string} file an absolute path
 */
export function projectOf(projects, file) {
  return projects.find((p) => file === p.dir || file.startsWith(p.dir + sep));
}

/** Tests, their fixtures and end-to-end suites: files that never ship. */
export function isTestFile(/** @type {string} */ file) {
  return /\.test\.[cm]?[jt]sx?$/.test(file) || /[\\/](__fixtures__|e2e|test|test-fixtures)[\\/]/.test(file);
}

/**
 * Whether code of `from` may import `to`; the reason when it may not.
 * @param {Project} from
 * @param {Project} to
 * @param {boolean} inTest
 * @returns {string | undefined}
 */
export function layerViolation(from, to, inTest) {
  if (from.name === to.name) return undefined;
  const layer = LAYERS[from.scope];
  if (!layer || layer.src === '*') return undefined;
  const allowed = inTest ? [...layer.src, ...(layer.tests ?? [])] : layer.src;
  if (allowed.includes(to.scope)) return undefined;
  const where = inTest ? 'tests of ' : '';
  const list = allowed.length ? allowed.join(', ') : 'nothing else';
  const hint = !inTest && layer.tests?.includes(to.scope) ? ' (only its tests may)' : '';
  return `${where}${from.name} (${from.scope}) may not import ${to.name} (${to.scope})${hint}; it may import ${list}.`;
}
