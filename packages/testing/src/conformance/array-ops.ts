import { numberOps, type ElementwiseOps } from '@evopt/core';
import { show } from './samples.js';

/** A flat vector of numbers: the smallest stand-in for a tensor. */
export type Vector = readonly number[];

function operand(a: unknown): Vector {
  if (!Array.isArray(a)) {
    throw new TypeError(`an elementwise op got ${show(a)} where a vector was expected; write the term with the ops it is given, not with JS arithmetic or number literals (use ops.fill(like, value) for constants)`);
  }
  return a as Vector;
}

function zip(a: Vector, b: Vector | number, f: (x: number, y: number) => number): Vector {
  const left = operand(a);
  if (typeof b === 'number') return left.map((x) => f(x, b));
  const right = operand(b);
  if (right.length !== left.length) throw new RangeError(`elementwise operands differ in length: ${left.length} and ${right.length}`);
  return left.map((x, i) => f(x, right[i] as number));
}

const map = (a: Vector, f: (x: number) => number): Vector => operand(a).map((x) => f(x));

/**
 * {@link ElementwiseOps} over plain arrays, element by element with core's `numberOps`. A term
 * written only with the ops it is given gives, on a vector, exactly its per-element results; the
 * conformance suite uses this to catch terms that would not work on tensors.
 */
export const arrayOps: ElementwiseOps<Vector> = {
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
