import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { EvoptError } from '../errors.js';

/**
 * Writes `data` to `path` so that a reader (or a crash) sees either the old file or the whole new
 * one, never a mix: write a temp file in the same directory, fsync it, rename it over the
 * target, then fsync the directory so the rename itself survives a power loss.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let renamed = false;
  try {
    const fd = openSync(temp, 'wx');
    try {
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    renamed = true;
    fsyncDirectory(dirname(path));
  } finally {
    if (!renamed) removeQuietly(temp);
  }
}

/** {@link writeFileAtomic} for JSON, pretty-printed with a trailing newline (config.json, best.json). */
export function writeJson(path: string, value: unknown): void {
  writeFileAtomic(path, `${toJsonText(value, path, 2)}\n`);
}

/** {@link writeFileAtomic} for plain text (summary.md). */
export function writeText(path: string, text: string): void {
  writeFileAtomic(path, text);
}

/**
 * `JSON.stringify` that refuses values JSON cannot hold (undefined, functions, BigInt, cycles)
 * with an error naming the file, instead of silently writing `undefined` or throwing a TypeError.
 */
export function toJsonText(value: unknown, path: string, indent?: number): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, null, indent);
  } catch (error) {
    throw notJson(path, error instanceof Error ? error.message : String(error), error);
  }
  if (text === undefined) throw notJson(path, `got ${typeof value}`);
  return text;
}

function notJson(path: string, why: string, cause?: unknown): EvoptError {
  return new EvoptError('INTERNAL', `Expected a JSON-serializable value to write to ${path}, but ${why}.`, {
    fix: 'Pass plain data (objects, arrays, strings, finite numbers, booleans, null); this is a bug in the caller.',
    details: { path },
    cause,
  });
}

/** Writes every byte; `writeSync` may write fewer than asked. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Makes a rename or a file creation in `dir` durable. Some platforms (Windows) cannot open a directory; there it is skipped. */
export function fsyncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EISDIR/EPERM/EINVAL on platforms that cannot fsync a directory: nothing more we can do.
  } finally {
    closeSync(fd);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or never created.
  }
}
