import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { EvoptError } from '@evopt/core';
import { fetchCommand } from './catalog.js';
import type { DatasetId, ImageSet } from './types.js';

// IDX (LeCun's format for MNIST, reused by Fashion-MNIST): two zero bytes, a type byte, a
// dimension count, then one big-endian uint32 per dimension, then the values in row-major order.
const IDX_UNSIGNED_BYTE = 0x08;
const MAX_DIMS = 4;

/** An unsigned-byte IDX array: its dimensions and row-major values. */
export interface IdxArray {
  readonly dims: number[];
  /** A view of the (decompressed) file's bytes after the header. */
  readonly data: Uint8Array;
}

/** The images of an IDX image file; the labels live in a separate file. */
export type IdxImages = Omit<ImageSet, 'labels'>;

/** The fix for any missing or corrupt dataset file. */
export function refetch(id: DatasetId): string {
  return `Run \`${fetchCommand(id)}\` to download it again`;
}

/** A DATA_CORRUPT error naming the file and what is wrong with it. */
export function corruptFile(id: DatasetId, file: string, problem: string, cause?: unknown): EvoptError {
  return new EvoptError('DATA_CORRUPT', `The ${id} file ${file} is corrupt: ${problem}. Refusing to train on it.`, {
    fix: refetch(id),
    details: { dataset: id, file },
    cause,
  });
}

/** Reads a dataset file whole; a missing file is DATA_MISSING, an unreadable one DATA_CORRUPT. */
export async function readDatasetFile(file: string, id: DatasetId): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new EvoptError('DATA_MISSING', `The ${id} file ${file} does not exist.`, {
        fix: refetch(id),
        details: { dataset: id, file },
        cause,
      });
    }
    throw corruptFile(id, file, `it cannot be read (${code ?? String(cause)})`, cause);
  }
}

function gunzip(bytes: Uint8Array, file: string, id: DatasetId): Uint8Array {
  try {
    return gunzipSync(bytes);
  } catch (cause) {
    throw corruptFile(id, file, `it starts like gzip but does not decompress (${(cause as Error).message})`, cause);
  }
}

/**
 * Parses an unsigned-byte (type 0x08) IDX file, raw or gzip-compressed (detected by the gzip
 * magic 1f 8b). Throws DATA_CORRUPT, naming `file`, on a bad header or a length that does not
 * match the dimensions.
 */
export function parseIdx(bytes: Uint8Array, file: string, id: DatasetId = 'mnist'): IdxArray {
  const raw = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzip(bytes, file, id) : bytes;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.length < 4) throw corruptFile(id, file, `it is ${raw.length} bytes long, too short for an IDX header`);
  if (raw[0] !== 0 || raw[1] !== 0) {
    throw corruptFile(
      id,
      file,
      `its magic number starts ${hex(raw[0])} ${hex(raw[1])}, not 00 00 as an IDX file's does`,
    );
  }
  if (raw[2] !== IDX_UNSIGNED_BYTE) {
    throw corruptFile(id, file, `its IDX type byte is ${hex(raw[2])}, not 08 (unsigned byte)`);
  }
  const rank = raw[3] as number;
  if (rank < 1 || rank > MAX_DIMS)
    throw corruptFile(id, file, `its IDX header declares ${rank} dimensions, not 1 to ${MAX_DIMS}`);
  const header = 4 + 4 * rank;
  if (raw.length < header) {
    throw corruptFile(
      id,
      file,
      `truncated: its ${rank}-dimension IDX header needs ${header} bytes, the file has ${raw.length}`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d));
  const size = dims.reduce((product, n) => product * n, 1);
  const expected = header + size;
  if (raw.length < expected) {
    throw corruptFile(
      id,
      file,
      `truncated: ${expected - raw.length} bytes short of the ${expected} its header (${dims.join(' × ')}) implies`,
    );
  }
  if (raw.length > expected) {
    throw corruptFile(
      id,
      file,
      `${raw.length - expected} trailing bytes after the ${expected} its header (${dims.join(' × ')}) implies`,
    );
  }
  return { dims, data: new Uint8Array(raw.buffer, raw.byteOffset + header, size) };
}

function hex(byte: number | undefined): string {
  return (byte ?? 0).toString(16).padStart(2, '0');
}

/** Reads an IDX image file (3 dimensions: images × rows × columns) as one-channel images. */
export async function readIdxImages(path: string, id: DatasetId = 'mnist'): Promise<IdxImages> {
  const { dims, data } = parseIdx(await readDatasetFile(path, id), path, id);
  if (dims.length !== 3) {
    throw corruptFile(
      id,
      path,
      `it has ${dims.length} dimensions (${dims.join(' × ')}), not the 3 of an image file (images × rows × columns)`,
    );
  }
  const [count, height, width] = dims as [number, number, number];
  if (count === 0 || height === 0 || width === 0)
    throw corruptFile(id, path, `it holds no pixels (${dims.join(' × ')})`);
  return { images: data, count, height, width, channels: 1 };
}

/** Reads an IDX label file (1 dimension), checking every label is below `classes`. */
export async function readIdxLabels(path: string, classes = 10, id: DatasetId = 'mnist'): Promise<Uint8Array> {
  const { dims, data } = parseIdx(await readDatasetFile(path, id), path, id);
  if (dims.length !== 1) {
    throw corruptFile(id, path, `it has ${dims.length} dimensions (${dims.join(' × ')}), not the 1 of a label file`);
  }
  if (data.length === 0) throw corruptFile(id, path, 'it holds no labels');
  for (let i = 0; i < data.length; i++) {
    const label = data[i] as number;
    if (label >= classes) throw corruptFile(id, path, `label ${i} is ${label}, not a class 0 to ${classes - 1}`);
  }
  return data;
}
