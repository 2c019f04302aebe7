export * from './space.js';
export * from './operators.js';
export * from './mutation.js';
export * from './crossover.js';
export * from './fitness.js';
export * from './engine.js';
export * from './steady-state.js';
