import {
  canonicalize,
  GENOME_SCHEMA_ID,
  genomeHash,
  renderFormula,
  renderHyperparameters,
  type Genome,
} from '@evopt/core';
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
 * Throws GENOME_INVALID naming any primitive or schedule that the code targets have no code for
 * (json takes any registered one).
 */
export function exportGenome(genome: Genome, target: ExportTarget, lookups: ExportLookups): string {
  switch (target) {
    case 'tfjs':
      return generateTfjs(exportModel(genome, lookups));
    case 'pytorch':
      return generatePytorch(exportModel(genome, lookups));
    case 'json': {
      // No code is generated, so any registered primitive and schedule (a plugin's too) will do.
      const canonical = canonicalize(genome, lookups);
      const json: ExportedGenomeJson = {
        schema: GENOME_SCHEMA_ID,
        hash: genomeHash(genome, lookups),
        formula: renderFormula(canonical, lookups),
        hyperparameters: renderHyperparameters(canonical),
        genome: canonical,
      };
      return `${JSON.stringify(json, null, 2)}\n`;
    }
  }
}
