import type { ElementwiseOps } from '@evopt/core';
import { liftOps } from './lift-ops.js';
import { show } from './samples.js';

const OPS_ONLY =
  'write the term with the ops it is given, not with JS arithmetic or number literals (use ops.fill(like, value) for constants)';

/** A rectangular nested array of numbers, such as [[1, 2], [3, 4]]: a stand-in for a tensor of rank ≥ 1. */
export type NestedArray = readonly (number | NestedArray)[];

/** A nested array as its shape and its elements in row-major order. */
export interface Flat {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

/** The shape and row-major elements of `value`; a plain number is a scalar (shape []). */
export function flatten(value: unknown): Flat {
  if (typeof value === 'number') return { shape: [], data: [value] };
  if (!Array.isArray(value)) {
    throw new TypeError(`an elementwise op got ${show(value)} where a tensor or a number was expected; ${OPS_ONLY}`);
  }
  const shape: number[] = [];
  for (let level: unknown = value; Array.isArray(level); level = level[0]) shape.push(level.length);
  const data: number[] = [];
  const walk = (x: unknown, depth: number): void => {
    if (depth === shape.length) {
      if (typeof x !== 'number') throw new TypeError(`a tensor holds ${show(x)} where a number was expected`);
      data.push(x);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth])
      throw new RangeError(`a tensor is ragged: ${show(value)} is not of shape [${shape.join(', ')}]`);
    for (const y of x) walk(y, depth + 1);
  };
  walk(value, 0);
  return { shape, data };
}

/** The nested array of `shape` holding `data` in row-major order. */
export function nest(shape: readonly number[], data: readonly number[]): NestedArray {
  const build = (depth: number, offset: number): NestedArray => {
    const size = shape[depth] as number;
    const inner = shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: size }, (_, i) =>
      depth === shape.length - 1 ? (data[offset + i] as number) : build(depth + 1, offset + i * inner),
    );
  };
  return build(0, 0);
}

/** NumPy's (and TensorFlow.js') broadcasting: trailing axes line up and must be equal or 1. */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  return Array.from({ length: rank }, (_, i) => {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1)
      throw new RangeError(`operands of shapes [${a.join(', ')}] and [${b.join(', ')}] do not broadcast`);
    return Math.max(x, y);
  });
}

/** Row-major strides of `shape` seen as a broadcast to `out`: 0 along axes it repeats. */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const strides = out.map(() => 0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const axis = out.length - shape.length + i;
    if ((shape[i] as number) !== 1) strides[axis] = stride;
    stride *= shape[i] as number;
  }
  return strides;
}

/** A first operand: g, m, v and what is computed from them are tensors, never plain numbers. */
function operand(a: unknown): Flat {
  if (!Array.isArray(a))
    throw new TypeError(`an elementwise op got ${show(a)} where a tensor was expected; ${OPS_ONLY}`);
  return flatten(a);
}

function zip(a: unknown, b: unknown, f: (x: number, y: number) => number): NestedArray {
  const left = operand(a);
  const right = flatten(b);
  const shape = broadcastShapes(left.shape, right.shape);
  const [sa, sb] = [broadcastStrides(left.shape, shape), broadcastStrides(right.shape, shape)];
  const size = shape.reduce((x, y) => x * y, 1);
  const data = new Array<number>(size);
  for (let k = 0; k < size; k++) {
    let rest = k;
    let ia = 0;
    let ib = 0;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      const dim = shape[axis] as number;
      const index = rest % dim;
      rest = (rest - index) / dim;
      ia += index * (sa[axis] as number);
      ib += index * (sb[axis] as number);
    }
    data[k] = f(left.data[ia] as number, right.data[ib] as number);
  }
  return nest(shape, data);
}

const map = (a: NestedArray, f: (x: number) => number): NestedArray => {
  const { shape, data } = operand(a);
  return nest(
    shape,
    data.map((x) => f(x)),
  );
};

/**
 * {@link ElementwiseOps} over nested arrays with NumPy-style broadcasting, element by element with
 * core's `numberOps`: the pure-JS model of a [P, N] tensor op with per-member constants [P, 1].
 * The first operand must be a nested array (as g, m, v are); the second may also be a number. A
 * term written only with the ops it is given computes, on a population, what each member computes
 * alone; the conformance suite uses this to catch terms that break on a leading population axis.
 */
export const nestedOps: ElementwiseOps<NestedArray> = liftOps<NestedArray>(zip, map);
