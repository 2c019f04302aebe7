export * from './errors.js';
export * from './task-host.js';
export * from './inline.js';
export * from './worker-pool.js';
export * from './worker-script.js';
export * from './definitions.js';
