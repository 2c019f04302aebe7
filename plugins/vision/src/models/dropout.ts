import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, Rng } from '@evopt/core';

/**
 * Inverted dropout whose mask is seeded and new at every training step: the mask of call n comes
 * from (seed, n), so a run is reproducible while each step drops different units. tfjs-layers'
 * Dropout with a fixed seed would draw the same mask every step.
 */
export class SeededDropout {
  private calls = 0;

  /** @param rate the fraction of units dropped, in [0, 1). */
  constructor(readonly rate: number, readonly seed: number) {
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${rate}`);
  }

  /** Training applies taken so far: the index of the next mask. */
  get step(): number {
    return this.calls;
  }

  /** x with a fresh mask when `training` (kept units scaled by 1/(1−rate)); x itself otherwise. */
  apply(x: tf.Tensor, training: boolean): tf.Tensor {
    if (!training || this.rate === 0) return x;
    const rng = Rng.fromSeed(deriveSeed('dropout', this.seed, this.calls++));
    const scale = 1 / (1 - this.rate);
    const mask = new Float32Array(x.size);
    for (let i = 0; i < mask.length; i++) mask[i] = rng.float() < this.rate ? 0 : scale;
    return tf.mul(x, tf.tensor(mask, x.shape, 'float32'));
  }
}
