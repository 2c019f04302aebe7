export * from './conformance/index.js';
export * from './doubles/index.js';
