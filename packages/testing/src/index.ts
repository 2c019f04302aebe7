export * from './conformance/index.js';
export * from './environment/optional-tool.js';
