import { describe, expect, it } from 'vitest';
import { baselineGenome } from '../genome/baselines.js';
import { renderSummary } from './summary.js';

const best = {
  hash: 'abc123',
  genome: { ...baselineGenome('adam'), beta2: 0.9996 },
  fitness: 0.9,
  formula: '1.00·m/(√v+ε)',
  perTask: { quadratic: 0.9 },
};

describe('summary.md', () => {
  it('prints the best genome with β2 0.9996, and its change against each baseline', () => {
    const text = renderSummary({
      runId: 'r1',
      preset: null,
      seed: 1,
      tasks: ['quadratic'],
      best,
      history: [],
      baselines: { adam: 0.8, sgd: -1, zero: 0 },
    });
    expect(text).toContain('β2 0.9996 ·');
    expect(text).toContain('| adam | 0.8000 | +12.5% |');
    // Against a diverged baseline (−1) the best is higher, so the change is a rise.
    expect(text).toContain('| sgd | -1.0000 | +190.0% |');
    expect(text).toContain('| zero | 0.0000 | n/a |');
  });
});
