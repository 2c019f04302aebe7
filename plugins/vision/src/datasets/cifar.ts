import { CIFAR_RECORD_BYTES, CLASS_NAMES } from './catalog.js';
import { corruptFile, readDatasetFile } from './idx.js';
import type { DatasetId, ImageSet } from './types.js';

const SIDE = 32;
const CHANNELS = 3;
const PLANE = SIDE * SIDE;
const PIXELS = CHANNELS * PLANE;

/** Checks one batch's size and labels; returns its record count. */
function checkBatch(bytes: Uint8Array, file: string, id: DatasetId, classes: number): number {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    const records = Math.floor(bytes.length / CIFAR_RECORD_BYTES);
    const extra = bytes.length - records * CIFAR_RECORD_BYTES;
    const problem =
      bytes.length === 0
        ? 'it is empty'
        : `it is ${bytes.length} bytes long: ${records} records and ${extra} bytes over`;
    throw corruptFile(
      id,
      file,
      `${problem}; a batch is a positive multiple of ${CIFAR_RECORD_BYTES} bytes (a label byte and 3 × 32 × 32 pixels per record)`,
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  for (let r = 0; r < count; r++) {
    const label = bytes[r * CIFAR_RECORD_BYTES] as number;
    if (label >= classes)
      throw corruptFile(id, file, `record ${r} has label ${label}, not a class 0 to ${classes - 1}`);
  }
  return count;
}

/**
 * Copies `count` records of `src` (label byte, then red, green and blue 32×32 planes) into NHWC
 * `images` and `labels` from image `first` on. One pass, no per-pixel allocation: this is the
 * hot loop of loading CIFAR-10's 60,000 images.
 */
function convert(src: Uint8Array, count: number, images: Uint8Array, labels: Uint8Array, first: number): void {
  for (let r = 0; r < count; r++) {
    const s = r * CIFAR_RECORD_BYTES;
    labels[first + r] = src[s] as number;
    const red = s + 1;
    const green = red + PLANE;
    const blue = green + PLANE;
    let d = (first + r) * PIXELS;
    for (let p = 0; p < PLANE; p++) {
      images[d] = src[red + p] as number;
      images[d + 1] = src[green + p] as number;
      images[d + 2] = src[blue + p] as number;
      d += CHANNELS;
    }
  }
}

/**
 * Reads CIFAR-10 binary batches, in order, into one 32×32×3 NHWC image set. Every file must be a
 * positive multiple of {@link CIFAR_RECORD_BYTES} with labels 0–9; otherwise DATA_CORRUPT (or
 * DATA_MISSING for an absent file) names the file.
 */
export async function readCifarBatches(paths: readonly string[], id: DatasetId = 'cifar10'): Promise<ImageSet> {
  const classes = CLASS_NAMES[id].length;
  const batches = await Promise.all(paths.map((path) => readDatasetFile(path, id)));
  const counts = batches.map((bytes, b) => checkBatch(bytes, paths[b] as string, id, classes));
  const count = counts.reduce((sum, n) => sum + n, 0);
  const images = new Uint8Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let first = 0;
  for (const [b, bytes] of batches.entries()) {
    const n = counts[b] as number;
    convert(bytes, n, images, labels, first);
    first += n;
  }
  return { images, labels, count, height: SIDE, width: SIDE, channels: CHANNELS };
}
