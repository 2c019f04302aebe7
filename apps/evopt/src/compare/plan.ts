import { createHash } from 'node:crypto';
import { BASELINE_IDS, EvoptError, stableStringify } from '@evopt/core';
import type { TrialSubject } from '../trials/index.js';
import type { CompareRole } from './report.js';

/** The baselines compare runs against unless --baselines says otherwise: the paper's four. */
export const DEFAULT_COMPARE_BASELINES: readonly string[] = ['sgd-momentum', 'adam', 'adamw', 'rmsprop'];
/** Seeds per task unless --seeds says otherwise: enough for an interval and a paired test. */
export const DEFAULT_COMPARE_SEEDS = 5;
/** Names the compare seed stream, apart from search's and ci's. */
export const COMPARE_SALT = 'compare';

/** `--baselines a,b`: each must be a baseline id; 'none' (or '') compares the arguments alone. */
export function parseBaselines(value: string): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none');
  for (const id of ids) {
    if (!BASELINE_IDS.includes(id)) {
      throw new EvoptError('REGISTRY_UNKNOWN', `--baselines: "${id}" is not a baseline id.`, {
        fix: `Known baselines: ${BASELINE_IDS.join(', ')}. Pass a genome file or run as an argument instead.`,
        details: { kind: 'baseline genome', id, known: BASELINE_IDS },
      });
    }
  }
  return [...new Set(ids)];
}

/** What decides the default output directory: the same command finds the same directory. */
export interface CompareFingerprint {
  /** Hashes of the genomes given as arguments, in order. */
  readonly subjects: readonly string[];
  readonly baselines: readonly string[];
  readonly tasks: readonly string[];
  readonly seeds: number;
  readonly steps: number;
  readonly seed: number;
  readonly tune: boolean;
}

/** 12 hex digits of SHA-256 over the fingerprint's fields. */
export function compareFingerprint(fingerprint: CompareFingerprint): string {
  return createHash('sha256')
    .update(stableStringify({ ...fingerprint }))
    .digest('hex')
    .slice(0, 12);
}

/**
 * The compared subjects in report order: the arguments (candidates), then the baselines. A baseline
 * id also given as an argument is compared once, as a baseline. Baselines keep their ids as labels
 * (adam stays the reference); another subject with a label already taken gets "#2", "#3"…
 */
export function assembleSubjects(
  candidates: readonly TrialSubject[],
  baselines: readonly TrialSubject[],
): { subject: TrialSubject; role: CompareRole }[] {
  const taken = new Set(baselines.map((b) => b.label));
  const named: { subject: TrialSubject; role: CompareRole }[] = [];
  for (const subject of candidates) {
    if (subject.kind === 'baseline' && taken.has(subject.label)) continue;
    let label = subject.label;
    for (let n = 2; taken.has(label); n++) label = `${subject.label}#${n}`;
    taken.add(label);
    named.push({ subject: label === subject.label ? subject : { ...subject, label }, role: 'candidate' });
  }
  return [...named, ...baselines.map((subject) => ({ subject, role: 'baseline' as const }))];
}
