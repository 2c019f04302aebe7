import type { ElementwiseOps } from '@evopt/core';
import { liftOps } from './lift-ops.js';
import { show } from './samples.js';

/** A flat vector of numbers: the smallest stand-in for a tensor. */
export type Vector = readonly number[];

function operand(a: unknown): Vector {
  if (!Array.isArray(a)) {
    throw new TypeError(
      `an elementwise op got ${show(a)} where a vector was expected; write the term with the ops it is given, not with JS arithmetic or number literals (use ops.fill(like, value) for constants)`,
    );
  }
  return a as Vector;
}

function zip(a: Vector, b: Vector | number, f: (x: number, y: number) => number): Vector {
  const left = operand(a);
  if (typeof b === 'number') return left.map((x) => f(x, b));
  const right = operand(b);
  if (right.length !== left.length)
    throw new RangeError(`elementwise operands differ in length: ${left.length} and ${right.length}`);
  return left.map((x, i) => f(x, right[i] as number));
}

const map = (a: Vector, f: (x: number) => number): Vector => operand(a).map((x) => f(x));

/**
 * {@link ElementwiseOps} over plain arrays, element by element with core's `numberOps`. A term
 * written only with the ops it is given gives, on a vector, exactly its per-element results; the
 * conformance suite uses this to catch terms that would not work on tensors.
 */
export const arrayOps: ElementwiseOps<Vector> = liftOps<Vector>(zip, map);
