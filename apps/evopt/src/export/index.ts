import { GENOME_SCHEMA_ID, type Genome } from '@evopt/core';
import { exportModel, type ExportLookups } from './model.js';
import { generatePytorch } from './pytorch.js';
import { generateTfjs } from './tfjs.js';

export { EXPORT_PRIMITIVES, EXPORT_SCHEDULES, exportModel, type ExportLookups, type ExportModel } from './model.js';
export { generatePytorch } from './pytorch.js';
export { generateTfjs } from './tfjs.js';

/** What `evopt export --to` writes. */
export const EXPORT_TARGETS = ['tfjs', 'pytorch', 'json'] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** The json target: the canonical genome with its hash and formula. */
export interface ExportedGenomeJson {
  readonly schema: typeof GENOME_SCHEMA_ID;
  readonly hash: string;
  readonly formula: string;
  readonly hyperparameters: string;
  readonly genome: Genome;
}

/**
 * A genome as source code for `target`: a TensorFlow.js module, a PyTorch file, or canonical JSON.
 * Throws GENOME_INVALID naming any primitive or schedule that export has no code for.
 */
export function exportGenome(genome: Genome, target: ExportTarget, lookups: ExportLookups): string {
  const model = exportModel(genome, lookups);
  switch (target) {
    case 'tfjs':
      return generateTfjs(model);
    case 'pytorch':
      return generatePytorch(model);
    case 'json': {
      const json: ExportedGenomeJson = { schema: GENOME_SCHEMA_ID, hash: model.hash, formula: model.formula, hyperparameters: model.hyperparameters, genome: model.genome };
      return `${JSON.stringify(json, null, 2)}\n`;
    }
  }
}
