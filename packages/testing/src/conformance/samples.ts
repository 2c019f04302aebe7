import fc from 'fast-check';

/** The seed every suite samples with, so a failure reproduces exactly on every machine. */
export const CONFORMANCE_SEED = 2512_11853;

/** `count` values drawn from `arbitrary` with a fixed seed (fast-check biases them towards edge cases). */
export function samples<T>(arbitrary: fc.Arbitrary<T>, count: number, seed = CONFORMANCE_SEED): T[] {
  return fc.sample(arbitrary, { seed, numRuns: count });
}

/** A number in [min, max], never NaN; integers when `integer`. */
export function boundedNumber(min: number, max: number, integer = false): fc.Arbitrary<number> {
  if (integer) return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** A positive number whose log10 is uniform-ish in [log10 min, log10 max], like ε or a learning rate. */
export function logUniform(min: number, max: number): fc.Arbitrary<number> {
  return fc
    .double({ min: Math.log10(min), max: Math.log10(max), noNaN: true })
    .map((e) => Math.min(max, Math.max(min, 10 ** e)));
}

/** Renders a value for a message: numbers keep their sign and exponent (−0, 1e-300, NaN). */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${show(v)}`)
      .join(', ')} }`;
  }
  return JSON.stringify(value) ?? String(value);
}
