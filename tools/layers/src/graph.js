// @ts-check
// The project graph's rules: no cycles, no suppressed edges, runtime dependencies within the layers.
import { layerViolation } from './layers.js';

/** @typedef {import('./layers.js').Project} Project */
/** @typedef {Readonly<Record<string, readonly string[]>>} Edges project → the projects it depends on */

/**
 * Every cycle of the graph, one per strongly connected component with more than one project (or a
 * project that depends on itself), written as a path that returns to its start.
 * @param {Edges} edges
 * @returns {string[][]}
 */
export function findCycles(edges) {
  // Tarjan's strongly connected components, then one concrete cycle through each component.
  /** @type {Map<string, number>} */ const index = new Map();
  /** @type {Map<string, number>} */ const low = new Map();
  /** @type {string[]} */ const stack = [];
  /** @type {Set<string>} */ const onStack = new Set();
  /** @type {string[][]} */ const components = [];
  let next = 0;
  const nodes = [...new Set([...Object.keys(edges), ...Object.values(edges).flat()])].sort();

  /** @param {string} v */
  function visit(v) {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges[v] ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(/** @type {number} */ (low.get(v)), /** @type {number} */ (low.get(w))));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(/** @type {number} */ (low.get(v)), /** @type {number} */ (index.get(w))));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    /** @type {string[]} */ const component = [];
    let w;
    do {
      w = /** @type {string} */ (stack.pop());
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges[v] ?? []).includes(v)) components.push(component);
  }
  for (const v of nodes) if (!index.has(v)) visit(v);
  return components.map((component) => cycleWithin(edges, new Set(component)));
}

/**
 * A shortest cycle through the component's first project (alphabetically), by breadth-first search.
 * @param {Edges} edges
 * @param {Set<string>} component
 */
function cycleWithin(edges, component) {
  const start = [...component].sort()[0] ?? '';
  /** @type {Map<string, string>} */ const parent = new Map();
  const queue = [start];
  while (queue.length) {
    const v = /** @type {string} */ (queue.shift());
    for (const w of edges[v] ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u = v; u !== start; u = /** @type {string} */ (parent.get(u))) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

/**
 * Everything wrong with the graph and the projects' manifests, one message each.
 * @param {{ edges: Edges, projects: readonly Project[], implicit: Readonly<Record<string, readonly string[]>> }} input
 * `implicit`: each project's nx implicitDependencies
 * @returns {string[]}
 */
export function graphProblems({ edges, projects, implicit }) {
  /** @type {string[]} */ const problems = [];
  for (const cycle of findCycles(edges)) {
    problems.push(
      `cycle in the project graph: ${cycle.join(' → ')}. Break it: move the code that needs both ends to a project above them.`,
    );
  }
  for (const [project, entries] of Object.entries(implicit)) {
    for (const entry of entries.filter((e) => e.startsWith('!'))) {
      problems.push(
        `${project} suppresses its edge to ${entry.slice(1)} (implicitDependencies "${entry}"): an edge hidden from nx hides a cycle or a build order; remove it.`,
      );
    }
  }
  for (const from of projects) {
    for (const name of from.dependencies) {
      const to = projects.find((p) => p.name === name);
      const reason = to && layerViolation(from, to, false);
      if (reason)
        problems.push(
          `${from.name}'s package.json dependencies: ${reason} (a test-only need belongs in devDependencies)`,
        );
    }
  }
  return problems;
}
