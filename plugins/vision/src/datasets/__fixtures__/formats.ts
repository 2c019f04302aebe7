// Small files in the real dataset formats, for tests: IDX (MNIST, Fashion-MNIST) and CIFAR-10's
// binary batches. Contents are deterministic, so a test can check what a reader returns.
import { gzipSync } from 'node:zlib';
import { CIFAR_RECORD_BYTES } from '../catalog.js';

/** The pixel value of image `i` at byte offset `j` in the generated files. */
export function pixelAt(i: number, j: number): number {
  return (i * 31 + j * 7) % 256;
}

/** The label of image `i` in the generated files. */
export function labelAt(i: number, classes = 10): number {
  return (i * 3 + 1) % classes;
}

/** An IDX3 image file (magic 0x00000803): `count` images of rows × cols bytes. */
export function idxImages(count: number, rows = 28, cols = 28): Buffer {
  const header = Buffer.alloc(16);
  header.writeUInt32BE(0x00000803, 0);
  header.writeUInt32BE(count, 4);
  header.writeUInt32BE(rows, 8);
  header.writeUInt32BE(cols, 12);
  const body = Buffer.alloc(count * rows * cols);
  for (let i = 0; i < count; i++) for (let j = 0; j < rows * cols; j++) body[i * rows * cols + j] = pixelAt(i, j);
  return Buffer.concat([header, body]);
}

/** An IDX1 label file (magic 0x00000801). */
export function idxLabels(count: number, classes = 10): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32BE(0x00000801, 0);
  header.writeUInt32BE(count, 4);
  const body = Buffer.alloc(count);
  for (let i = 0; i < count; i++) body[i] = labelAt(i, classes);
  return Buffer.concat([header, body]);
}

/** gzip, as the published IDX files are. */
export function gzip(data: Buffer): Buffer {
  return gzipSync(data);
}

/**
 * A CIFAR-10 binary batch: `count` records of a label byte and 3072 pixel bytes in CHW order.
 * Image `first + i` has label labelAt(first + i) and, at CHW byte offset j, pixelAt(first + i, j).
 */
export function cifarBatch(count: number, first = 0): Buffer {
  const data = Buffer.alloc(count * CIFAR_RECORD_BYTES);
  for (let i = 0; i < count; i++) {
    const offset = i * CIFAR_RECORD_BYTES;
    data[offset] = labelAt(first + i);
    for (let j = 0; j < CIFAR_RECORD_BYTES - 1; j++) data[offset + 1 + j] = pixelAt(first + i, j);
  }
  return data;
}
