export * from './summary.js';
export * from './change.js';
