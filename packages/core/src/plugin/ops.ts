/**
 * Elementwise arithmetic that primitives are written against. Core implements it for plain numbers
 * (the reference implementation used by tests and the test-double task); @evopt/tfjs implements it
 * for tensors. A scalar operand may be a number or a value of the same kind: with a population
 * axis, per-genome constants such as ε arrive as tensors of shape [P, 1, …] and must broadcast.
 */
export interface ElementwiseOps<T> {
  add(a: T, b: T | number): T;
  sub(a: T, b: T | number): T;
  mul(a: T, b: T | number): T;
  div(a: T, b: T | number): T;
  neg(a: T): T;
  abs(a: T): T;
  sign(a: T): T;
  sqrt(a: T): T;
  square(a: T): T;
  exp(a: T): T;
  maximum(a: T, b: T | number): T;
  minimum(a: T, b: T | number): T;
  /** A constant shaped like `like`. */
  fill(like: T, value: number): T;
}

/** The plain-number implementation: the reference semantics every backend must match. */
export const numberOps: ElementwiseOps<number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  neg: (a) => -a,
  abs: (a) => Math.abs(a),
  sign: (a) => Math.sign(a),
  sqrt: (a) => Math.sqrt(a),
  square: (a) => a * a,
  exp: (a) => Math.exp(a),
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  fill: (_like, value) => value,
};
