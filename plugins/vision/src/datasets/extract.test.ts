import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { isEvoptError } from '@evopt/core';
import { CIFAR_BATCH_DIRECTORY } from './catalog.js';
import { cifarExtracted, extractCifar } from './extract.js';
import { cifarArchive, sha256 } from './__fixtures__/server.js';
import { cifarBatch, gzip } from './__fixtures__/formats.js';

const scratch: string[] = [];
afterEach(() => scratch.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evopt-extract-'));
  scratch.push(dir);
  return dir;
}

describe('extractCifar', () => {
  it('clears what a crashed extraction left, and extracts', async () => {
    const dir = tempDir();
    const archive = await cifarArchive(2);
    writeFileSync(join(dir, 'a.tar.gz'), archive);
    mkdirSync(join(dir, `.${CIFAR_BATCH_DIRECTORY}.tmp-crashed`, CIFAR_BATCH_DIRECTORY), { recursive: true });
    expect(await extractCifar(join(dir, 'a.tar.gz'), dir, sha256(archive), 'a.tar.gz')).toBe('extracted');
    expect(readdirSync(dir).sort()).toEqual(['a.tar.gz', CIFAR_BATCH_DIRECTORY]);
    expect(await cifarExtracted(dir, sha256(archive))).toBe(true);
    // Batches from another archive are not these.
    expect(await cifarExtracted(dir, '0'.repeat(64))).toBe(false);
  });

  it('refuses an archive without the batches, leaving no batch directory', async () => {
    const dir = tempDir();
    const src = tempDir();
    mkdirSync(join(src, CIFAR_BATCH_DIRECTORY));
    writeFileSync(join(src, CIFAR_BATCH_DIRECTORY, 'data_batch_1.bin'), cifarBatch(1));
    await create({ gzip: true, cwd: src, file: join(dir, 'short.tar.gz') }, [CIFAR_BATCH_DIRECTORY]);
    const error = await extractCifar(join(dir, 'short.tar.gz'), dir, 'f'.repeat(64), 'short.tar.gz').catch(
      (e: unknown) => e,
    );
    expect(isEvoptError(error, 'DATA_CORRUPT')).toBe(true);
    expect(String(error)).toMatch(/does not hold cifar-10-batches-bin\/ with data_batch_1\.bin/);
    expect(existsSync(join(dir, CIFAR_BATCH_DIRECTORY))).toBe(false);
    expect(readdirSync(dir)).toEqual(['short.tar.gz']);
  });

  it('refuses a file that is not a tar archive', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'junk.tar.gz'), gzip(Buffer.from('not a tar archive at all'.repeat(40))));
    const error = await extractCifar(join(dir, 'junk.tar.gz'), dir, 'f'.repeat(64), 'junk.tar.gz').catch(
      (e: unknown) => e,
    );
    expect(isEvoptError(error, 'DATA_CORRUPT')).toBe(true);
    expect(readdirSync(dir)).toEqual(['junk.tar.gz']);
  });
});
