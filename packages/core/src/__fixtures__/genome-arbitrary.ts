// Test-only: fast-check genomes over the given primitives and schedules, anywhere in the paper's bounds.
import fc from 'fast-check';
import { GENOME_SCHEMA_ID, type Genome, type Term } from '../genome/schema.js';

export function genomeArbitrary(options: {
  readonly primitives: readonly string[];
  readonly schedules: readonly Genome['schedule'][];
  readonly maxTerms: number;
  readonly alpha?: fc.Arbitrary<number>;
}): fc.Arbitrary<Genome> {
  const alpha = options.alpha ?? fc.double({ min: -5, max: 5, noNaN: true });
  return fc.record({
    schema: fc.constant(GENOME_SCHEMA_ID),
    terms: fc.array(fc.record<Term>({ primitive: fc.constantFrom(...options.primitives), alpha }), {
      minLength: 1,
      maxLength: options.maxTerms,
    }),
    lr: fc.double({ min: 1e-5, max: 1e-1, noNaN: true }),
    beta1: fc.double({ min: 0, max: 0.999, noNaN: true }),
    beta2: fc.double({ min: 0, max: 0.9999, noNaN: true }),
    eps: fc.double({ min: 1e-10, max: 1e-4, noNaN: true }),
    weightDecay: fc.double({ min: 0, max: 1e-2, noNaN: true }),
    useM: fc.boolean(),
    useV: fc.boolean(),
    biasCorrection: fc.boolean(),
    clip: fc.option(fc.double({ min: 0.1, max: 10, noNaN: true }), { nil: null }),
    schedule: fc.constantFrom(...options.schedules),
  });
}
