import { describe, expect, it } from 'vitest';
import { broadcastShapes, flatten, nest, nestedOps } from './nested-ops.js';

describe('nestedOps', () => {
  it('broadcasts per-member constants [P, 1] against a population [P, N], as tensors do', () => {
    expect(
      nestedOps.mul(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [[10], [100]],
      ),
    ).toEqual([
      [10, 20, 30],
      [400, 500, 600],
    ]);
    expect(
      nestedOps.add(
        [
          [
            [1, 2],
            [3, 4],
          ],
          [
            [5, 6],
            [7, 8],
          ],
        ],
        [[[0]], [[10]]],
      ),
    ).toEqual([
      [
        [1, 2],
        [3, 4],
      ],
      [
        [15, 16],
        [17, 18],
      ],
    ]);
    expect(
      nestedOps.sub(
        [
          [1, 2],
          [3, 4],
        ],
        1,
      ),
    ).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(nestedOps.maximum([[1, 5]], [3, 4])).toEqual([[3, 5]]);
  });

  it('keeps the shape of its operand in unary ops and fill', () => {
    expect(nestedOps.sqrt([[4], [9]])).toEqual([[2], [3]]);
    expect(
      nestedOps.fill(
        [
          [1, 2],
          [3, 4],
        ],
        0.5,
      ),
    ).toEqual([
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
    expect(Object.is((nestedOps.neg([[0]]) as number[][])[0]?.[0], -0)).toBe(true);
  });

  it('refuses shapes that do not broadcast, ragged arrays, and a number where a tensor is expected', () => {
    expect(() =>
      nestedOps.add(
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [1, 2],
      ),
    ).toThrow(/shapes \[2, 3\] and \[2\] do not broadcast/);
    expect(() => nestedOps.add([[1, 2], [3]], 1)).toThrow(/ragged/);
    expect(() => nestedOps.abs(3 as never)).toThrow(/where a tensor was expected/);
  });

  it('flattens and nests in row-major order', () => {
    expect(
      flatten([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    ).toEqual({ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] });
    expect(nest([3, 1], [7, 8, 9])).toEqual([[7], [8], [9]]);
    expect(broadcastShapes([3, 1, 5], [4, 1])).toEqual([3, 4, 5]);
  });
});
