import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@evopt/core';
import { useTestBackend } from '../__fixtures__/backend.js';
import type { ImageSet } from '../datasets/types.js';
import { batchOrder } from './batches.js';
import {
  CIFAR_AUGMENTATION,
  imageBatchSource,
  imageTensor,
  NORMALISATION,
  type Normalisation,
} from './image-batches.js';

beforeAll(useTestBackend);

// Not square, so a swapped height and width shows.
const [H, W, C] = [6, 5, 3];
const NORM: Normalisation = { mean: [0.5, 0.25, 0.75], std: [0.2, 0.4, 0.1] };
const PAD = 2;

/** `count` images of random bytes (a few of them 0, like real borders) with random labels. */
function randomSet(count: number, seed = 1): ImageSet {
  const rng = Rng.fromSeed(seed);
  const images = Uint8Array.from({ length: count * H * W * C }, () => rng.int(0, 255));
  const labels = Uint8Array.from({ length: count }, () => rng.int(0, 9));
  return { images, labels, count, height: H, width: W, channels: C };
}

const set = randomSet(30);
const rows = Int32Array.from([29, 3, 17, 8, 0, 12, 21, 5, 14, 26, 9]);

/** Image `row` as nested [y][x][c] raw bytes. */
function image(row: number): number[][][] {
  return Array.from({ length: H }, (_, y) =>
    Array.from({ length: W }, (_, x) =>
      Array.from({ length: C }, (_, c) => set.images[((row * H + y) * W + x) * C + c] as number),
    ),
  );
}

const normalise = (pixels: number[][][]): Float32Array =>
  Float32Array.from(
    pixels.flat(2).map((v, i) => (v / 255 - (NORM.mean[i % C] as number)) / (NORM.std[i % C] as number)),
  );

/** torchvision's RandomCrop(padding) then RandomHorizontalFlip, by the book: pad, crop, mirror, normalise. */
function augmented(row: number, dy: number, dx: number, flip: boolean): Float32Array {
  const black = () => Array.from({ length: C }, () => 0);
  const padded = [
    ...Array.from({ length: PAD }, () => Array.from({ length: W + 2 * PAD }, black)),
    ...image(row).map((line) => [
      ...Array.from({ length: PAD }, black),
      ...line,
      ...Array.from({ length: PAD }, black),
    ]),
    ...Array.from({ length: PAD }, () => Array.from({ length: W + 2 * PAD }, black)),
  ];
  const crop = padded.slice(dy, dy + H).map((line) => line.slice(dx, dx + W));
  return normalise(flip ? crop.map((line) => [...line].reverse()) : crop);
}

/** Every augmentation an image may get, keyed "dy,dx,flip". */
function candidates(row: number): Map<string, Float32Array> {
  const all = new Map<string, Float32Array>();
  for (let dy = 0; dy <= 2 * PAD; dy++) {
    for (let dx = 0; dx <= 2 * PAD; dx++)
      for (const flip of [false, true]) all.set(`${dy},${dx},${flip}`, augmented(row, dy, dx, flip));
  }
  return all;
}

/** x and y of `steps` successive batches, as plain arrays. */
function batches(
  source: (step: number) => { x: tf.Tensor; y: tf.Tensor },
  steps: number,
): { x: Float32Array; y: Int32Array; shape: number[] }[] {
  return Array.from({ length: steps }, (_, step) => {
    const { x, y } = source(step);
    const result = { x: x.dataSync() as Float32Array, y: y.dataSync() as Int32Array, shape: x.shape };
    expect(y.dtype).toBe('int32');
    tf.dispose([x, y]);
    return result;
  });
}

const SIZE = H * W * C;
const slotOf = (x: Float32Array, slot: number): Float32Array => x.subarray(slot * SIZE, (slot + 1) * SIZE);

describe('imageBatchSource', () => {
  it("without augmentation, gives the normalised training rows in batchOrder's seeded order, with their labels", () => {
    const source = imageBatchSource(set, rows, 4, Rng.fromSeed(7), { normalisation: NORM });
    const order = batchOrder(rows.length, 4, Rng.fromSeed(7));
    // Five steps of 4 from 11 rows: crosses two epochs.
    for (const batch of batches(source, 5)) {
      expect(batch.shape).toEqual([4, H, W, C]);
      order.next().forEach((position, slot) => {
        const row = rows[position] as number;
        expect(slotOf(batch.x, slot)).toEqual(normalise(image(row)));
        expect(batch.y[slot]).toBe(set.labels[row]);
      });
    }
  });

  it('crops each image from its zero-padded version and flips it, varying across images and steps', () => {
    const augment = { crop: PAD, flip: true };
    const source = imageBatchSource(set, rows, 8, Rng.fromSeed(3), { normalisation: NORM, augment });
    const order = batchOrder(rows.length, 8, Rng.fromSeed(3));
    const seen = new Set<string>();
    for (const batch of batches(source, 4)) {
      order.next().forEach((position, slot) => {
        const row = rows[position] as number;
        const got = slotOf(batch.x, slot);
        const match = [...candidates(row)].find(([, want]) => want.every((v, i) => v === got[i]));
        expect(match, `image ${slot} is no crop-and-flip of row ${row}`).toBeDefined();
        seen.add(match?.[0] ?? '');
        expect(batch.y[slot]).toBe(set.labels[row]);
      });
    }
    const parts = [...seen].map((key) => key.split(','));
    expect(new Set(parts.map(([, , flip]) => flip))).toEqual(new Set(['true', 'false']));
    expect(new Set(parts.map(([dy]) => dy)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(parts.map(([, dx]) => dx)).size).toBeGreaterThanOrEqual(3);
    // Drawn independently: some crops move the image by different amounts down and across.
    expect(parts.some(([dy, dx]) => dy !== dx)).toBe(true);
  });

  it('pads with black, raw 0, normalised like any other pixel: (0 − mean) / std per channel', () => {
    const source = imageBatchSource(set, rows, 11, Rng.fromSeed(5), {
      normalisation: NORM,
      augment: { crop: PAD, flip: false },
    });
    const padding = NORM.mean.map((mean, c) => Math.fround((0 - mean) / (NORM.std[c] as number)));
    const [batch] = batches(source, 1);
    // Every 11 images, some crop shifts the image down (dy < PAD): its first row is padding.
    const shifted = Array.from({ length: 11 }, (_, slot) => slotOf(batch?.x ?? new Float32Array(), slot)).filter(
      (pixels) => Array.from(pixels.subarray(0, W * C)).every((v, i) => v === padding[i % C]),
    );
    expect(shifted.length).toBeGreaterThan(0);
  });

  it('repeats the same batches and augmentation for the same seed, and others for another seed', () => {
    const make = (seed: number) =>
      imageBatchSource(set, rows, 8, Rng.fromSeed(seed), { normalisation: NORM, augment: CIFAR_AUGMENTATION });
    const first = batches(make(11), 3);
    expect(batches(make(11), 3)).toEqual(first);
    expect(batches(make(12), 3)).not.toEqual(first);
  });

  it('keeps the batch order whether augmentation is on or off', () => {
    const labels = (augment: boolean) =>
      batches(
        imageBatchSource(set, rows, 4, Rng.fromSeed(9), {
          normalisation: NORM,
          ...(augment ? { augment: CIFAR_AUGMENTATION } : {}),
        }),
        6,
      ).map((batch) => Array.from(batch.y));
    expect(labels(true)).toEqual(labels(false));
  });
});

describe('imageTensor', () => {
  it('gives the chosen rows normalised, [rows, h, w, c], with one mean and std for every channel if given one', () => {
    const x = imageTensor(set, [4, 2], NORM);
    expect(x.shape).toEqual([2, H, W, C]);
    const values = x.dataSync() as Float32Array;
    expect(slotOf(values, 0)).toEqual(normalise(image(4)));
    expect(slotOf(values, 1)).toEqual(normalise(image(2)));
    x.dispose();
    const grey = imageTensor(set, [1], { mean: [0.5], std: [0.5] });
    expect(Array.from(grey.dataSync())).toEqual(
      Array.from(set.images.subarray(SIZE, 2 * SIZE), (v) => Math.fround((v / 255 - 0.5) / 0.5)),
    );
    grey.dispose();
  });

  it('refuses a normalisation with a wrong number of channels, saying how many it needs', () => {
    expect(() => imageTensor(set, [0], { mean: [0.1, 0.2], std: [1, 1] })).toThrow(/1 or 3 values/);
  });
});

describe('NORMALISATION', () => {
  it('holds the usual constants of each dataset', () => {
    expect(NORMALISATION.mnist).toEqual({ mean: [0.1307], std: [0.3081] });
    expect(NORMALISATION['fashion-mnist']).toEqual({ mean: [0.286], std: [0.353] });
    expect(NORMALISATION.cifar10).toEqual({ mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] });
  });
});
