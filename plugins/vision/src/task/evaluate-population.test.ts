import { describe, expect, it } from 'vitest';
import { baselineGenome, type EvaluationItem } from '@evopt/core';
import type { BackendInfo } from '@evopt/tfjs';
import { populationGroups, populationSize } from './evaluate-population.js';

const item = (seed: number, steps = 10): EvaluationItem => ({
  genome: baselineGenome('adam'),
  hash: `h${seed}`,
  seed,
  seedIndex: 0,
  steps,
});
const backend = (name: BackendInfo['name'], devices: string[]): BackendInfo => ({
  name,
  devices,
  patches: [],
  skipped: [],
});

describe('populationGroups', () => {
  it('groups consecutive items of one seed and step count, at most `size` at a time', () => {
    const items = [item(1), item(1), item(1), item(2), item(2), item(1), item(1, 20)];
    expect(populationGroups(items, 2)).toEqual([[0, 1], [2], [3, 4], [5], [6]]);
    expect(populationGroups(items, Number.POSITIVE_INFINITY)).toEqual([[0, 1, 2], [3, 4], [5], [6]]);
    expect(populationGroups(items, 1)).toEqual(items.map((_, i) => [i]));
  });
});

describe('populationSize', () => {
  it('stacks a whole batch only on a GPU when asked for auto, and obeys a number', () => {
    expect(populationSize('auto', backend('tensorflow', ['/GPU:0 NVIDIA H200']))).toBe(Number.POSITIVE_INFINITY);
    expect(populationSize('auto', backend('tensorflow', ['cpu']))).toBe(1);
    expect(populationSize('auto', backend('wasm', ['cpu']))).toBe(1);
    expect(populationSize(4, backend('wasm', ['cpu']))).toBe(4);
  });
});
