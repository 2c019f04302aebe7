export * from './schema.js';
export * from './merge.js';
export * from './presets.js';
export * from './data-dir.js';
export * from './did-you-mean.js';
export * from './issues.js';
export * from './resolve.js';
export * from './load.js';
