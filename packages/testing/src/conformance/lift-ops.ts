import { numberOps, type ElementwiseOps } from '@evopt/core';

/**
 * {@link ElementwiseOps} over a container of numbers (an array, nested arrays), from how to
 * combine two containers (or a container and a number) and how to map one: each op applies core's
 * `numberOps` element by element, so the container's results are exactly the numbers' results.
 */
export function liftOps<T>(
  zip: (a: T, b: T | number, f: (x: number, y: number) => number) => T,
  map: (a: T, f: (x: number) => number) => T,
): ElementwiseOps<T> {
  return {
    add: (a, b) => zip(a, b, numberOps.add),
    sub: (a, b) => zip(a, b, numberOps.sub),
    mul: (a, b) => zip(a, b, numberOps.mul),
    div: (a, b) => zip(a, b, numberOps.div),
    neg: (a) => map(a, numberOps.neg),
    abs: (a) => map(a, numberOps.abs),
    sign: (a) => map(a, numberOps.sign),
    sqrt: (a) => map(a, numberOps.sqrt),
    square: (a) => map(a, numberOps.square),
    exp: (a) => map(a, numberOps.exp),
    maximum: (a, b) => zip(a, b, numberOps.maximum),
    minimum: (a, b) => zip(a, b, numberOps.minimum),
    fill: (like, value) => map(like, () => value),
  };
}
