// The test-double plugin: deterministic tasks for tests, the smoke preset and benchmarks.
export { default } from './doubles/plugin.js';
