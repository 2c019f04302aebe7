import * as tf from '@tensorflow/tfjs-core';
import { deriveSeed, Rng } from '@evopt/core';
import type { TrainingBatch } from '@evopt/tfjs';
import type { DatasetId, ImageSet } from '../datasets/types.js';
import { batchOrder } from './batches.js';

/**
 * Per-channel mean and std of pixels scaled to [0, 1]: a pixel byte v becomes (v/255 − mean)/std,
 * as torchvision's ToTensor then Normalize. One value applies to every channel.
 */
export interface Normalisation {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/** The usual constants of each dataset's training split (those the paper's notebook uses). */
export const NORMALISATION: Readonly<Record<DatasetId, Normalisation>> = {
  mnist: { mean: [0.1307], std: [0.3081] },
  'fashion-mnist': { mean: [0.286], std: [0.353] },
  cifar10: { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] },
};

/** Training-time augmentation, torchvision's RandomCrop(size, padding = crop) then RandomHorizontalFlip. */
export interface Augmentation {
  /** Zero padding in pixels on each side before a random crop back to the image size; 0 for none. */
  readonly crop: number;
  /** Mirror left–right with probability ½. */
  readonly flip: boolean;
}

/** The paper's CIFAR-10 augmentation: RandomCrop(32, padding=4) and a horizontal flip. */
export const CIFAR_AUGMENTATION: Augmentation = { crop: 4, flip: true };

export interface ImageBatchOptions {
  readonly normalisation: Normalisation;
  /** Absent: batches are the normalised rows, untouched. */
  readonly augment?: Augmentation;
}

/**
 * value[c·256 + v] = the normalised value of byte v in channel c. Padding is raw 0 (black), which
 * normalises to value[c·256], as with torchvision's RandomCrop before ToTensor and Normalize.
 */
function lookupTable(channels: number, { mean, std }: Normalisation): Float32Array {
  const pick = (list: readonly number[], c: number, what: string): number => {
    const value = list.length === 1 ? list[0] : list[c];
    if (value === undefined || (list.length !== 1 && list.length !== channels)) {
      throw new RangeError(`normalisation ${what} needs 1 or ${channels} values (one per channel), got ${list.length}`);
    }
    return value;
  };
  const table = new Float32Array(channels * 256);
  for (let c = 0; c < channels; c++) {
    const m = pick(mean, c, 'mean');
    const s = pick(std, c, 'std');
    for (let v = 0; v < 256; v++) table[c * 256 + v] = (v / 255 - m) / s;
  }
  return table;
}

/** Copies image `row` of `set`, normalised by `table`, into `out` at image slot `slot`; no augmentation. */
function copyImage(set: ImageSet, row: number, table: Float32Array, out: Float32Array, slot: number): void {
  const { channels } = set;
  const size = set.height * set.width * channels;
  const from = row * size;
  const to = slot * size;
  for (let i = 0; i < size; i++) out[to + i] = table[(i % channels) * 256 + (set.images[from + i] as number)] as number;
}

/**
 * Copies image `row` of `set`, cropped at offset (dy, dx) of its `pad`-padded version and
 * mirrored when `flip`, into `out` at image slot `slot`. Pixels from the padding are raw 0.
 */
function copyAugmented(
  set: ImageSet,
  row: number,
  table: Float32Array,
  out: Float32Array,
  slot: number,
  pad: number,
  dy: number,
  dx: number,
  flip: boolean,
): void {
  const { height, width, channels } = set;
  const rowBytes = width * channels;
  const from = row * height * rowBytes;
  let to = slot * height * rowBytes;
  for (let y = 0; y < height; y++) {
    const sy = y + dy - pad;
    for (let x = 0; x < width; x++) {
      const sx = (flip ? width - 1 - x : x) + dx - pad;
      const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
      const source = from + sy * rowBytes + sx * channels;
      for (let c = 0; c < channels; c++) {
        out[to++] = table[c * 256 + (inside ? (set.images[source + c] as number) : 0)] as number;
      }
    }
  }
}

/**
 * A `nextBatch` for the training loop over the training subset `rows` of `set`: x [batch, h, w, c]
 * float32, normalised, and y [batch] int32, in the seeded order of {@link batchOrder} (a fresh
 * permutation of `rows` each epoch). With `augment`, each image gets its own crop offset in
 * 0…2·crop on each axis and a flip bit, drawn from an Rng keyed by the step, so a step's
 * augmentation never depends on what was drawn before, and turning augmentation on leaves the
 * batch order unchanged. Allocates one pixel array and one label array per step; the loop
 * disposes the tensors.
 */
export function imageBatchSource(
  set: ImageSet,
  rows: Int32Array,
  batchSize: number,
  rng: Rng,
  options: ImageBatchOptions,
): (step: number) => TrainingBatch {
  const table = lookupTable(set.channels, options.normalisation);
  const { height, width, channels } = set;
  const size = height * width * channels;
  const augment = options.augment;
  // Read, not drawn: the batch order's stream is the same with and without augmentation.
  const augmentSeed = deriveSeed('augment', ...rng.state());
  const order = batchOrder(rows.length, batchSize, rng);
  return (step) => {
    // Fresh arrays each step: the cpu backend keeps the array it is given rather than copying it.
    const pixels = new Float32Array(batchSize * size);
    const labels = new Int32Array(batchSize);
    const draws = augment ? Rng.fromSeed(deriveSeed(augmentSeed, step)) : undefined;
    const positions = order.next();
    for (let slot = 0; slot < batchSize; slot++) {
      const row = rows[positions[slot] as number] as number;
      labels[slot] = set.labels[row] as number;
      if (augment && draws) {
        const pad = augment.crop;
        const dy = pad > 0 ? draws.int(0, 2 * pad) : 0;
        const dx = pad > 0 ? draws.int(0, 2 * pad) : 0;
        const flip = augment.flip && draws.bool(0.5);
        copyAugmented(set, row, table, pixels, slot, pad, dy, dx, flip);
      } else {
        copyImage(set, row, table, pixels, slot);
      }
    }
    return { x: tf.tensor4d(pixels, [batchSize, height, width, channels], 'float32'), y: tf.tensor1d(labels, 'int32') };
  };
}

/** Images `rows` of `set` as one normalised float32 tensor [rows, h, w, c]: a chunk to score. */
export function imageTensor(set: ImageSet, rows: ArrayLike<number>, normalisation: Normalisation): tf.Tensor4D {
  const table = lookupTable(set.channels, normalisation);
  const pixels = new Float32Array(rows.length * set.height * set.width * set.channels);
  for (let slot = 0; slot < rows.length; slot++) copyImage(set, rows[slot] as number, table, pixels, slot);
  return tf.tensor4d(pixels, [rows.length, set.height, set.width, set.channels], 'float32');
}
