import { EvoptError } from '../errors.js';
import type { ScheduleDefinition } from '../plugin/contracts.js';
import { PAPER_BOUNDS, PAPER_SCHEDULE_IDS, type GeneBounds } from '../presets/paper.js';
import type { ReadonlyRegistries } from '../registry/registries.js';

/** The numeric genes mutation moves, with their bounds. */
export const NUMERIC_GENES = ['lr', 'beta1', 'beta2', 'eps', 'weightDecay'] as const;
export type NumericGene = (typeof NUMERIC_GENES)[number];

/** The schedules of the paper's two flags, warmup and cosine: flipping a flag moves between them. */
export const PAPER_SCHEDULE_FLAGS: Readonly<Record<string, { readonly warmup: boolean; readonly cosine: boolean }>> = {
  constant: { warmup: false, cosine: false },
  warmup: { warmup: true, cosine: false },
  cosine: { warmup: false, cosine: true },
  'warmup-cosine': { warmup: true, cosine: true },
};

/** Everything the genetic operators need to know about the space they search. */
export interface GenomeSpace {
  readonly primitives: readonly string[];
  readonly schedules: readonly ScheduleDefinition[];
  readonly maxTerms: number;
  readonly alpha: { readonly min: number; readonly max: number };
  readonly genes: Readonly<Record<NumericGene | 'clip', GeneBounds>>;
}

export interface GenomeSpaceOptions {
  /** Primitive ids mutation may use; null means every registered primitive. */
  readonly primitives: readonly string[] | null;
  /** Schedule ids mutation may use; null means the paper's four. */
  readonly schedules: readonly string[] | null;
  readonly maxTerms: number;
}

/** Builds the search space from the frozen registries; unknown ids fail here, before the run. */
export function createGenomeSpace(
  registries: Pick<ReadonlyRegistries, 'primitives' | 'schedules'>,
  options: GenomeSpaceOptions,
): GenomeSpace {
  const primitives = options.primitives ?? registries.primitives.ids();
  for (const id of primitives) registries.primitives.get(id);
  if (primitives.length === 0) {
    throw new EvoptError('CONFIG_INVALID', 'The search space has no primitives.', {
      fix: 'Load @evopt/plugin-primitives (or another primitives plugin), or list primitives in ga.primitives.',
    });
  }
  const scheduleIds = options.schedules ?? PAPER_SCHEDULE_IDS;
  const schedules = scheduleIds.map((id) => registries.schedules.get(id));
  if (schedules.length === 0) {
    throw new EvoptError('CONFIG_INVALID', 'The search space has no schedules.', {
      fix: 'List at least one schedule in ga.schedules, e.g. ["constant"].',
    });
  }
  const { lr, beta1, beta2, eps, weightDecay, clip } = PAPER_BOUNDS;
  return {
    primitives: [...primitives],
    schedules,
    maxTerms: options.maxTerms,
    alpha: PAPER_BOUNDS.alpha,
    genes: { lr, beta1, beta2, eps, weightDecay, clip },
  };
}

export function scheduleIn(space: GenomeSpace, id: string): ScheduleDefinition | undefined {
  return space.schedules.find((s) => s.id === id);
}
