import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EvoptError } from '../errors.js';
import { PAPER_BASELINE_DEFAULTS, PAPER_EVOLVED } from '../presets/paper.js';
import { GENOME_SCHEMA_ID, parseGenome, type Genome } from './schema.js';

const constant = { id: 'constant', params: {} };

const base = {
  schema: GENOME_SCHEMA_ID,
  eps: PAPER_BASELINE_DEFAULTS.eps,
  weightDecay: PAPER_BASELINE_DEFAULTS.weightDecay,
  clip: null,
  schedule: constant,
} as const;

/** The paper's baseline genomes (../shared/MISSION.md, "Baseline genomes") and its evolved genome. */
export const BASELINE_GENOMES: Readonly<Record<string, Genome>> = {
  'sgd-momentum': {
    ...base,
    terms: [{ primitive: 'momentum', alpha: 1 }],
    lr: 1e-2,
    beta1: 0.9,
    beta2: 0.999,
    useM: true,
    useV: false,
    biasCorrection: false,
  },
  adam: {
    ...base,
    terms: [{ primitive: 'adam', alpha: 1 }],
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    useM: true,
    useV: true,
    biasCorrection: true,
  },
  adamw: {
    ...base,
    terms: [{ primitive: 'adam', alpha: 1 }],
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.999,
    weightDecay: 1e-2,
    useM: true,
    useV: true,
    biasCorrection: true,
  },
  rmsprop: {
    ...base,
    terms: [{ primitive: 'rms', alpha: 1 }],
    lr: 1e-3,
    beta1: 0.9,
    beta2: 0.99,
    useM: false,
    useV: true,
    biasCorrection: false,
  },
  'paper-evolved': {
    schema: GENOME_SCHEMA_ID,
    terms: PAPER_EVOLVED.terms.map((t) => ({ ...t })),
    lr: PAPER_EVOLVED.lr,
    beta1: PAPER_EVOLVED.beta1,
    beta2: PAPER_EVOLVED.beta2,
    eps: PAPER_EVOLVED.eps,
    weightDecay: PAPER_EVOLVED.weightDecay,
    useM: true,
    useV: true,
    biasCorrection: PAPER_EVOLVED.biasCorrection,
    clip: null,
    schedule: { id: 'warmup-cosine', params: { warmupSteps: PAPER_EVOLVED.warmupSteps } },
  },
};

export const BASELINE_IDS = Object.keys(BASELINE_GENOMES);

/** A baseline genome by id: sgd-momentum, adam, adamw, rmsprop or paper-evolved. */
export function baselineGenome(id: string): Genome {
  const genome = BASELINE_GENOMES[id];
  if (!genome) {
    throw new EvoptError(
      'REGISTRY_UNKNOWN',
      `Unknown baseline genome "${id}". Known baselines: ${BASELINE_IDS.join(', ')}.`,
      {
        fix: 'Use one of the known ids, or pass the path of a genome JSON file.',
        details: { kind: 'baseline genome', id, known: BASELINE_IDS },
      },
    );
  }
  return structuredClone(genome);
}

/**
 * A genome from a baseline id or a JSON file (a genome, or an object with a `genome` field such as
 * best.json). Errors name the file and each invalid field.
 */
export async function loadGenome(reference: string, cwd = process.cwd()): Promise<Genome> {
  if (BASELINE_GENOMES[reference]) return baselineGenome(reference);
  if (!reference.endsWith('.json') && !reference.includes('/')) return baselineGenome(reference);
  const path = resolve(cwd, reference);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new EvoptError('GENOME_INVALID', `Cannot read genome file ${path}: ${(error as Error).message}`, {
      fix: `Check the path, or use a baseline id (${BASELINE_IDS.join(', ')}).`,
      details: { path },
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EvoptError('GENOME_INVALID', `${path} is not valid JSON: ${(error as Error).message}`, {
      fix: 'Fix the JSON syntax (a genome file holds one evopt.genome/1 object).',
      details: { path },
    });
  }
  const inner =
    json !== null && typeof json === 'object' && 'genome' in json ? (json as { genome: unknown }).genome : json;
  return parseGenome(inner, path);
}
