export { bootstrapMean, pairedTTest, relativeChange, type Alternative, type BootstrapOptions, type Estimate, type PairedTest } from './stats.js';
