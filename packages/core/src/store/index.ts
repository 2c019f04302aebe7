export { writeFileAtomic, writeJson, writeText } from './atomic.js';
export * from './checkpoint.js';
export * from './journal.js';
export * from './journal-read.js';
export * from './journal-tail.js';
export * from './lock.js';
export * from './list-runs.js';
export * from './paths.js';
export * from './run-store.js';
