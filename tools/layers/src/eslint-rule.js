// @ts-check
// evopt/layers: every import across projects must respect the layers in layers.js, and code never
// reaches into another project by a relative path (it would bypass both the package's exports and
// this rule).
import { dirname, resolve } from 'node:path';
import { isTestFile, layerViolation, projectNamed, projectOf, readProjects } from './layers.js';

/** @typedef {import('eslint').Rule.RuleModule} RuleModule */
/** @typedef {import('./layers.js').Project} Project */

/** @type {Map<string, Project[]>} */
const projectsByRoot = new Map();

/** @type {RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports across workspace projects follow the layers (tools/layers/src/layers.js)' },
    schema: [
      { type: 'object', properties: { root: { type: 'string' } }, required: ['root'], additionalProperties: false },
    ],
    messages: {
      layer:
        '{{reason}} Move the code to a project that may depend on it, or change the layers in tools/layers/src/layers.js on purpose.',
      relative:
        'A relative import reaches into {{target}} from {{source}}; import it by its package name ({{target}}) instead.',
    },
  },
  create(context) {
    const { root } = /** @type {{ root: string }} */ (context.options[0]);
    let projects = projectsByRoot.get(root);
    if (!projects) projectsByRoot.set(root, (projects = readProjects(root)));
    const file = context.filename;
    const from = projectOf(projects, file);
    if (!from) return {};
    const inTest = isTestFile(file);
    const known = projects;

    /** @param {import('estree').Node} node @param {unknown} value */
    function check(node, value) {
      if (typeof value !== 'string') return;
      if (value.startsWith('.')) {
        const target = projectOf(known, resolve(dirname(file), value));
        if (target && target.name !== from?.name) {
          context.report({ node, messageId: 'relative', data: { source: String(from?.name), target: target.name } });
        }
        return;
      }
      const to = projectNamed(known, value);
      const reason = to && from && layerViolation(from, to, inTest);
      if (reason) context.report({ node, messageId: 'layer', data: { reason } });
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
    };
  },
};

/** The ESLint plugin: `{ plugins: { evopt: layersPlugin }, rules: { 'evopt/layers': ['error', { root }] } }`. */
export const layersPlugin = { meta: { name: '@evopt/layers' }, rules: { layers: layersRule } };
