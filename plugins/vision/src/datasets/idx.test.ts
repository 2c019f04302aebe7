import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEvoptError, type EvoptErrorCode } from '@evopt/core';
import { gzip, idxImages, idxLabels, labelAt, pixelAt } from './__fixtures__/formats.js';
import { parseIdx, readIdxImages, readIdxLabels } from './idx.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'evopt-idx-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

let files = 0;
async function write(content: Uint8Array): Promise<string> {
  const path = join(scratch, `file-${files++}`);
  await writeFile(path, content);
  return path;
}

async function expectError(
  promise: Promise<unknown>,
  code: EvoptErrorCode,
  file: string,
  problem: RegExp,
  dataset = 'mnist',
): Promise<void> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isEvoptError(error, code), String(error)).toBe(true);
  const message = (error as Error).message;
  expect(message).toContain(file);
  expect(message).toMatch(problem);
  expect(message).toContain(`evopt data fetch ${dataset}`);
}

function syncError(run: () => unknown): Promise<unknown> {
  return new Promise((resolve) => resolve(run()));
}

describe.each([
  ['raw', (data: Buffer) => data],
  ['gzipped', gzip],
])('IDX readers on %s files', (_, encode) => {
  it('reads images with exact pixel values', async () => {
    const set = await readIdxImages(await write(encode(idxImages(7, 28, 28))));
    expect(set).toMatchObject({ count: 7, height: 28, width: 28, channels: 1 });
    expect(set.images.length).toBe(7 * 784);
    for (let i = 0; i < 7; i++)
      for (let j = 0; j < 784; j++) if (set.images[i * 784 + j] !== pixelAt(i, j)) expect.fail(`pixel ${i}/${j}`);
  });

  it('reads non-square images', async () => {
    const set = await readIdxImages(await write(encode(idxImages(3, 4, 5))));
    expect(set).toMatchObject({ count: 3, height: 4, width: 5, channels: 1 });
    expect(set.images[2 * 20 + 19]).toBe(pixelAt(2, 19));
  });

  it('reads labels with exact values', async () => {
    const labels = await readIdxLabels(await write(encode(idxLabels(50))));
    expect([...labels]).toEqual(Array.from({ length: 50 }, (_, i) => labelAt(i)));
  });

  it('refuses a label outside the classes, naming its index and value', async () => {
    const path = await write(encode(idxLabels(20, 12)));
    // labelAt(3, 12) = 10 is the first label ≥ 10.
    await expectError(readIdxLabels(path, 10), 'DATA_CORRUPT', path, /label 3 is 10/);
    await expect(readIdxLabels(path, 12)).resolves.toHaveLength(20);
  });

  it('refuses an image file read as labels, and labels read as images', async () => {
    const images = await write(encode(idxImages(2)));
    const labels = await write(encode(idxLabels(2)));
    await expectError(readIdxLabels(images), 'DATA_CORRUPT', images, /3 dimensions/);
    await expectError(readIdxImages(labels), 'DATA_CORRUPT', labels, /1 dimensions.*not the 3/);
  });

  it('refuses a truncated file, saying how short it is', async () => {
    const data = idxImages(5, 28, 28);
    const path = await write(encode(data.subarray(0, data.length - 100)));
    await expectError(readIdxImages(path), 'DATA_CORRUPT', path, /truncated: 100 bytes short/);
  });

  it('refuses trailing bytes', async () => {
    const path = await write(encode(Buffer.concat([idxLabels(5), Buffer.alloc(3)])));
    await expectError(readIdxLabels(path), 'DATA_CORRUPT', path, /3 trailing bytes/);
  });

  it('refuses a bad magic number', async () => {
    const data = idxLabels(5);
    data[0] = 0x12;
    const path = await write(encode(data));
    await expectError(readIdxLabels(path), 'DATA_CORRUPT', path, /magic number starts 12 00/);
  });

  it('refuses a type byte other than unsigned byte', async () => {
    const data = idxImages(2);
    data[2] = 0x0d; // float
    const path = await write(encode(data));
    await expectError(readIdxImages(path), 'DATA_CORRUPT', path, /type byte is 0d, not 08/);
  });

  it('refuses a dimension count outside 1 to 4', async () => {
    const data = idxLabels(5);
    data[3] = 0;
    const path = await write(encode(data));
    await expectError(readIdxLabels(path), 'DATA_CORRUPT', path, /declares 0 dimensions/);
  });

  it('refuses a file shorter than its header', async () => {
    const path = await write(encode(idxImages(1).subarray(0, 10)));
    await expectError(readIdxImages(path), 'DATA_CORRUPT', path, /truncated: .*header needs 16 bytes, the file has 10/);
  });
});

describe('IDX readers', () => {
  it('refuses a corrupt gzip stream', async () => {
    const data = gzip(idxImages(5));
    const cut = await write(data.subarray(0, data.length - 20));
    await expectError(readIdxImages(cut), 'DATA_CORRUPT', cut, /does not decompress/);
    const garbled = Buffer.from(data);
    garbled.fill(0xff, 10, 30);
    const path = await write(garbled);
    await expectError(readIdxImages(path), 'DATA_CORRUPT', path, /does not decompress/);
  });

  it('reports a missing file as DATA_MISSING, with the dataset it belongs to', async () => {
    const path = join(scratch, 'nope', 'train-images-idx3-ubyte.gz');
    await expectError(readIdxImages(path, 'fashion-mnist'), 'DATA_MISSING', path, /does not exist/, 'fashion-mnist');
    await expectError(
      readIdxLabels(path, 10, 'fashion-mnist'),
      'DATA_MISSING',
      path,
      /does not exist/,
      'fashion-mnist',
    );
  });

  it('parseIdx returns the dimensions and a view of the values', () => {
    const { dims, data } = parseIdx(idxImages(2, 3, 4), 'x.idx');
    expect(dims).toEqual([2, 3, 4]);
    expect([...data]).toEqual(Array.from({ length: 24 }, (_, k) => pixelAt(Math.floor(k / 12), k % 12)));
  });

  it('parseIdx names the file it was given', async () => {
    await expectError(
      syncError(() => parseIdx(new Uint8Array([1, 2]), 'given-name.idx', 'fashion-mnist')),
      'DATA_CORRUPT',
      'given-name.idx',
      /too short/,
      'fashion-mnist',
    );
  });
});
