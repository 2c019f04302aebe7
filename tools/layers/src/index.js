// @ts-check
export { LAYERS, isTestFile, layerViolation, projectNamed, projectOf, readProjects } from './layers.js';
export { findCycles, graphProblems } from './graph.js';
export { layersPlugin, layersRule } from './eslint-rule.js';
