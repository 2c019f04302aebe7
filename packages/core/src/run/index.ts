export * from './cache.js';
export * from './summary.js';
export * from './evolution.js';
export * from './setup.js';
export * from './dry-run.js';
export * from './steady-state.js';
export * from './search.js';
