export * from './quadratic-problem.js';
export * from './quadratic.js';
export { default as testingPlugin } from './plugin.js';
