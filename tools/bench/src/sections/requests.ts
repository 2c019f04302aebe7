import {
  canonicalize,
  deriveSeed,
  genomeHash,
  type EvaluationRecord,
  type EvaluationRequest,
  type EvaluationSink,
  type Genome,
  type ReadonlyRegistries,
} from '@evopt/core';

/** Requests for `genome` on `task`, one per seed index, seeded as a run with `runSeed` would be. */
export function requestsFor(
  genome: Genome,
  registries: ReadonlyRegistries,
  task: string,
  steps: number,
  seeds: number,
  runSeed = 0,
): EvaluationRequest[] {
  const canonical = canonicalize(genome, registries);
  const hash = genomeHash(canonical, registries);
  return Array.from({ length: seeds }, (_, seedIndex) => ({
    genome: canonical,
    hash,
    task,
    seedIndex,
    steps,
    seed: deriveSeed(runSeed, task, seedIndex),
  }));
}

/** A sink that keeps the records. */
export function collectingSink(): EvaluationSink & { readonly records: EvaluationRecord[] } {
  const records: EvaluationRecord[] = [];
  return { records, started: () => undefined, progress: () => undefined, finished: (r) => void records.push(r) };
}

/** The flat genome form that ../shared/bench/torch_ref.py reads. */
export function torchGenome(genome: Genome): Record<string, unknown> {
  const { terms, lr, beta1, beta2, eps, weightDecay, useM, useV, biasCorrection, clip, schedule } = genome;
  const warmup = schedule.id === 'warmup' || schedule.id === 'warmup-cosine';
  const cosine = schedule.id === 'cosine' || schedule.id === 'warmup-cosine';
  if (!['constant', 'warmup', 'cosine', 'warmup-cosine'].includes(schedule.id))
    throw new Error(`torch_ref.py has no schedule ${schedule.id}`);
  return {
    terms,
    lr,
    beta1,
    beta2,
    eps,
    weightDecay,
    useM,
    useV,
    biasCorrection,
    ...(clip !== null && { clip }),
    ...(warmup && { warmupSteps: schedule.params['warmupSteps'] ?? 100 }),
    ...(cosine && { cosine: true }),
  };
}
