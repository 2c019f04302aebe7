// Checking files against their pinned SHA-256. A dataset file is trusted only after its hash
// matches the catalog's pin; size alone says nothing about corruption.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { DatasetFile } from './types.js';

/** What a file on disk is, compared with its pin. */
export type FileCheck =
  | { readonly state: 'missing' }
  | { readonly state: 'verified'; readonly bytes: number }
  | { readonly state: 'mismatch'; readonly bytes: number; readonly sha256: string };

/** The size of a regular file, or null when there is none. */
export async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Feeds a file (or its first `end` bytes) into `hash`; returns how many bytes were read. */
export async function hashInto(
  hash: Hash,
  path: string,
  options: { end?: number; signal?: AbortSignal } = {},
): Promise<number> {
  if (options.end === 0) return 0;
  let bytes = 0;
  const stream = createReadStream(path, {
    ...(options.end !== undefined && { end: options.end - 1 }),
    ...(options.signal && { signal: options.signal }),
  });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return bytes;
}

/** The SHA-256 (hex) and size of a file. */
export async function sha256File(path: string, signal?: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const bytes = await hashInto(hash, path, signal ? { signal } : {});
  return { sha256: hash.digest('hex'), bytes };
}

/** Hashes `path` and compares it with `file`'s pin. */
export async function checkFile(path: string, file: DatasetFile, signal?: AbortSignal): Promise<FileCheck> {
  if ((await fileSize(path)) === null) return { state: 'missing' };
  const { sha256, bytes } = await sha256File(path, signal);
  return sha256 === file.sha256.toLowerCase() ? { state: 'verified', bytes } : { state: 'mismatch', bytes, sha256 };
}
