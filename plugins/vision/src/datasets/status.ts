// What of a dataset is on disk, for `evopt data list`: each file present or not, its size, and
// whether it matches its pin; for CIFAR-10, whether the batches are extracted.
import { join, resolve } from 'node:path';
import { cifarExtracted } from './extract.js';
import { checkFile, fileSize } from './verify.js';
import type { DatasetFile, DatasetId, DatasetSpec } from './types.js';

/**
 * A file's state: `verified` (hash matches the pin), `unverified` (right size, not hashed),
 * `mismatch` (wrong hash, or wrong size), `partial` (only an interrupted `.part`) or `missing`.
 */
export type FileState = 'verified' | 'unverified' | 'mismatch' | 'partial' | 'missing';

export interface FileStatus {
  readonly name: string;
  readonly path: string;
  readonly state: FileState;
  readonly present: boolean;
  /** Size on disk of the file, or of its .part when only that exists; null when neither does. */
  readonly bytes: number | null;
  /** The pinned size. */
  readonly expectedBytes: number;
  /** Whether the hash matches the pin; null when not checked (absent, or `verify: false`). */
  readonly verified: boolean | null;
}

export interface DatasetStatus {
  readonly id: DatasetId;
  readonly title: string;
  /** The dataset's directory, absolute. */
  readonly directory: string;
  readonly files: readonly FileStatus[];
  /** For CIFAR-10, whether the batches are extracted from this archive; null for the others. */
  readonly extracted: boolean | null;
  /** Everything present (and verified, when checked) and extracted: nothing left to fetch. */
  readonly complete: boolean;
}

async function fileStatus(directory: string, file: DatasetFile, verify: boolean): Promise<FileStatus> {
  const path = join(directory, file.name);
  const base = { name: file.name, path, expectedBytes: file.bytes };
  const size = await fileSize(path);
  if (size === null) {
    const part = await fileSize(`${path}.part`);
    return { ...base, state: part === null ? 'missing' : 'partial', present: false, bytes: part, verified: null };
  }
  if (!verify)
    return {
      ...base,
      state: size === file.bytes ? 'unverified' : 'mismatch',
      present: true,
      bytes: size,
      verified: null,
    };
  const check = await checkFile(path, file);
  const verified = check.state === 'verified';
  return { ...base, state: verified ? 'verified' : 'mismatch', present: true, bytes: size, verified };
}

/**
 * Reports what of `spec` is under `dataDir`. With `verify`, every present file is hashed (a
 * few seconds for CIFAR-10's 170 MB); without, sizes are compared with the pins.
 */
export async function datasetStatus(
  spec: DatasetSpec,
  dataDir: string,
  options: { verify: boolean },
): Promise<DatasetStatus> {
  const directory = resolve(dataDir, spec.directory);
  const files = await Promise.all(spec.files.map((file) => fileStatus(directory, file, options.verify)));
  const archive = spec.id === 'cifar10' ? spec.files[0] : undefined;
  const extracted = archive ? await cifarExtracted(directory, archive.sha256) : null;
  const complete = files.every((f) => f.state === 'verified' || f.state === 'unverified') && extracted !== false;
  return { id: spec.id, title: spec.title, directory, files, extracted, complete };
}

/** "9.9 MB", "28.9 kB", "512 B": decimal units, as the mirrors list sizes. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}
