export { PopulationGenomeOptimizer } from './population-optimizer.js';
export { StackedModel, type StackedForwardResult } from './stacked-model.js';
export { trainPopulation, memberCrossEntropy, type PopulationTrainOptions } from './train-population.js';
export { populationParity, relativeError, type PopulationParity, type PopulationParityOptions } from './parity.js';
