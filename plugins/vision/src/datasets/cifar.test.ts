import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvoptError, type EvoptErrorCode } from '@evopt/core';
import { CIFAR_RECORD_BYTES } from './catalog.js';
import { cifarBatch, labelAt, pixelAt } from './__fixtures__/formats.js';
import { readCifarBatches } from './cifar.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'evopt-cifar-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let files = 0;
async function write(content: Uint8Array): Promise<string> {
  const path = join(scratch, `batch-${files++}.bin`);
  await writeFile(path, content);
  return path;
}

async function expectError(
  promise: Promise<unknown>,
  code: EvoptErrorCode,
  file: string,
  problem: RegExp,
): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isEvoptError(error, code), String(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).toContain(file);
  expect(message).toMatch(problem);
  expect(message).toContain('evopt data fetch cifar10');
}

describe('readCifarBatches', () => {
  it('reads batches in order into 32×32×3 NHWC, converting from CHW planes', async () => {
    const paths = [await write(cifarBatch(5, 0)), await write(cifarBatch(7, 5)), await write(cifarBatch(3, 12))];
    const set = await readCifarBatches(paths);
    expect(set).toMatchObject({ count: 15, height: 32, width: 32, channels: 3 });
    expect(set.images.length).toBe(15 * 3072);
    expect([...set.labels]).toEqual(Array.from({ length: 15 }, (_, i) => labelAt(i)));
    let wrong = 0;
    for (let i = 0; i < 15; i++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          for (let c = 0; c < 3; c++) {
            if (set.images[((i * 32 + y) * 32 + x) * 3 + c] !== pixelAt(i, c * 1024 + y * 32 + x)) wrong++;
          }
        }
      }
    }
    expect(wrong).toBe(0);
  });

  it('puts a pixel where NHWC says: red, green, blue of one pixel side by side', async () => {
    const batch = Buffer.alloc(2 * CIFAR_RECORD_BYTES);
    const second = CIFAR_RECORD_BYTES;
    batch[second] = 9;
    // Image 1, row 3, column 5: red 200, green 150, blue 100.
    batch[second + 1 + 3 * 32 + 5] = 200;
    batch[second + 1 + 1024 + 3 * 32 + 5] = 150;
    batch[second + 1 + 2048 + 3 * 32 + 5] = 100;
    const set = await readCifarBatches([await write(batch)]);
    const at = ((1 * 32 + 3) * 32 + 5) * 3;
    expect([...set.images.subarray(at, at + 3)]).toEqual([200, 150, 100]);
    expect([...set.labels]).toEqual([0, 9]);
    expect(set.images.reduce((sum, v) => sum + v, 0)).toBe(450);
  });

  it('refuses a file that is not a whole number of records', async () => {
    const path = await write(cifarBatch(3).subarray(0, 3 * CIFAR_RECORD_BYTES - 1));
    await expectError(
      readCifarBatches([path]),
      'DATA_CORRUPT',
      path,
      /2 records and 3072 bytes over.*multiple of 3073/,
    );
    const long = await write(Buffer.concat([cifarBatch(2), Buffer.alloc(5)]));
    await expectError(readCifarBatches([long]), 'DATA_CORRUPT', long, /2 records and 5 bytes over/);
  });

  it('refuses an empty file', async () => {
    const path = await write(new Uint8Array(0));
    await expectError(readCifarBatches([path]), 'DATA_CORRUPT', path, /empty.*positive multiple of 3073/);
  });

  it('refuses a label outside 0–9, naming the record', async () => {
    const batch = cifarBatch(4);
    batch[2 * CIFAR_RECORD_BYTES] = 10;
    const good = await write(cifarBatch(4));
    const bad = await write(batch);
    await expectError(readCifarBatches([good, bad]), 'DATA_CORRUPT', bad, /record 2 has label 10/);
  });

  it('reports a missing batch as DATA_MISSING', async () => {
    const good = await write(cifarBatch(1));
    const path = join(scratch, 'absent.bin');
    await expectError(readCifarBatches([good, path]), 'DATA_MISSING', path, /does not exist/);
  });
});
