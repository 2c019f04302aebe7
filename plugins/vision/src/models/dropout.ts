import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, Rng } from '@evopt/core';

/**
 * Inverted dropout whose mask is seeded and new at every training step: the mask of step n comes
 * from (seed, n), so a run is reproducible while each step drops different units, and every
 * member of a population trained on the same seed draws the same masks as it would alone.
 * tfjs-layers' Dropout with a fixed seed would draw the same mask every step.
 */
export class SeededDropout {
  /** @param rate the fraction of units dropped, in [0, 1). */
  constructor(
    readonly rate: number,
    readonly seed: number,
  ) {
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  }

  /** x with the mask of training step `step`: kept units scaled by 1/(1−rate). */
  mask(x: tf.Tensor, step: number): tf.Tensor {
    if (this.rate === 0) return x;
    const rng = Rng.fromSeed(deriveSeed('dropout', this.seed, step));
    const scale = 1 / (1 - this.rate);
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.float() < this.rate ? 0 : scale;
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  }
}
