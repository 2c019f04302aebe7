import { describe, expect, it } from 'vitest';
import { numberOps, type PrimitiveInputs } from '@evopt/core';
import plugin from './index.js';

const primitives = new Map((plugin.primitives ?? []).map((p) => [p.id, p.create({})]));
const samples = [-2.5, -0.3, -1e-6, 0, 1e-7, 0.4, 3];

function inputs(g: number, m: number, v: number): PrimitiveInputs<number> {
  return { g, m, v, eps: 1e-8, beta1: 0.9, beta2: 0.999, step: 3, state: {} };
}

describe('reducesTo: what canonical forms rely on', () => {
  for (const definition of plugin.primitives ?? []) {
    const { withoutM, withoutV } = definition.meta.reducesTo ?? {};
    if (withoutM) {
      it(`${definition.id} with m = g equals ${withoutM}`, () => {
        for (const g of samples) for (const v of [0, 1e-4, 2]) {
          const a = primitives.get(definition.id)?.apply(inputs(g, g, v), numberOps) as number;
          const b = primitives.get(withoutM)?.apply(inputs(g, 0.123, v), numberOps) as number;
          expect(a).toBeCloseTo(b, 12);
        }
      });
    }
    if (withoutV) {
      it(`${definition.id} with v = g² equals ${withoutV}`, () => {
        for (const g of samples) for (const m of [0, -0.7, 1.5]) {
          const a = primitives.get(definition.id)?.apply(inputs(g, m, g * g), numberOps) as number;
          const b = primitives.get(withoutV)?.apply(inputs(g, m, 42), numberOps) as number;
          expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a)));
        }
      });
    }
  }

  it('declares the reductions of the paper\'s primitives', () => {
    const declared = Object.fromEntries((plugin.primitives ?? []).map((p) => [p.id, p.meta.reducesTo ?? {}]));
    expect(declared).toMatchObject({ momentum: { withoutM: 'grad' }, nesterov: { withoutM: 'grad' }, adam: { withoutM: 'rms' }, rms: { withoutV: 'unit' } });
  });
});
