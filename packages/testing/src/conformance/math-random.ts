/**
 * Runs `fn` with Math.random replaced by a counting stand-in and returns how many times it was
 * called. evopt's randomness must come from the Rng passed in, so any call is a conformance
 * failure; the stand-in still returns numbers so that the code under test runs to the end.
 */
export function withMathRandomCounted(fn: () => void): number {
  // eslint-disable-next-line no-restricted-properties -- saved only to be restored below
  const original = Math.random;
  let calls = 0;
  // eslint-disable-next-line no-restricted-properties -- the stand-in that detects use of Math.random
  Math.random = () => {
    calls += 1;
    return 0.5;
  };
  try {
    fn();
  } finally {
    // eslint-disable-next-line no-restricted-properties -- restoring the original
    Math.random = original;
  }
  return calls;
}
