export {
  bootstrapMean,
  pairedTTest,
  type Alternative,
  type BootstrapOptions,
  type Estimate,
  type PairedTest,
} from './stats.js';
