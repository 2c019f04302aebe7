import type { ElementwiseOps } from '@evopt/core';

/**
 * A per-genome constant as a primitive receives it (ε, β1, β2): a number, or in population
 * training a tensor [P, 1, …] that broadcasts over the members.
 */
export type Constant<T> = T | number;

/**
 * a·b for two constants. Numbers are multiplied in JS, anything else with `ops.mul`: each element
 * sees the same IEEE multiplication either way, so a vector of constants gives exactly the
 * per-element results (the conformance suite's `elementwise` rule).
 */
function times<T>(a: Constant<T>, b: Constant<T>, ops: ElementwiseOps<T>): Constant<T> {
  if (typeof a === 'number') return typeof b === 'number' ? a * b : ops.mul(b, a);
  return ops.mul(a, b);
}

/** 1 − x, for a constant that may be a tensor: −x + 1 rounds exactly as 1 − x. */
export function oneMinus<T>(x: Constant<T>, ops: ElementwiseOps<T>): Constant<T> {
  return typeof x === 'number' ? 1 - x : ops.add(ops.neg(x), 1);
}

/**
 * base^exponent for an integer exponent ≥ 1, by repeated squaring. ElementwiseOps has no pow, and
 * β arrives as a tensor in population training; numbers take the same sequence of
 * multiplications, so both kinds agree bit for bit.
 */
export function power<T>(base: Constant<T>, exponent: number, ops: ElementwiseOps<T>): Constant<T> {
  let result: Constant<T> | undefined;
  let square = base;
  for (let n = exponent; n > 0; n = Math.floor(n / 2)) {
    if (n % 2 === 1) result = result === undefined ? square : times(result, square, ops);
    if (n > 1) square = times(square, square, ops);
  }
  return result ?? 1;
}

/** The value of a state slot, which the optimizer always provides; a missing one is a bug worth naming. */
export function slotValue<T>(state: Readonly<Record<string, T>>, name: string): T {
  const value = state[name];
  if (value === undefined)
    throw new Error(
      `the state slot "${name}" is missing from the inputs; the optimizer must allocate every slot the term declares`,
    );
  return value;
}
