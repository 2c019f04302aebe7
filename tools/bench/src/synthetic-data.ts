// Full-size datasets in the real on-disk formats, with seeded random pixels and labels: what the
// benches load and train on where the real files cannot be downloaded (this development machine,
// GPU machines without internet). Throughput does not depend on pixel values; accuracy does, so
// no accuracy figure is ever taken from these files.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Rng } from '@evopt/core';
import {
  CIFAR_BATCH_DIRECTORY,
  CIFAR_RECORD_BYTES,
  CIFAR_TEST_BATCH,
  CIFAR_TRAIN_BATCHES,
  DATASETS,
  IDX_FILES,
} from '@evopt/plugin-vision';

/** `count` bytes below `below`, from a xorshift32 stream seeded by `rng` (fast enough for 200 MB). */
function randomBytes(rng: Rng, count: number, below = 256): Buffer {
  const bytes = Buffer.alloc(count);
  let state = rng.int(1, 0x7fffffff);
  for (let i = 0; i < count; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = (state >>> 0) % below;
  }
  return bytes;
}

function idx(magic: number, dims: readonly number[], body: Buffer): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, body]);
}

/** MNIST-shaped IDX files (60,000 train, 10,000 test, gzipped) for `mnist` or `fashion-mnist`. */
function writeIdxDataset(dir: string, rng: Rng): void {
  mkdirSync(dir, { recursive: true });
  for (const [split, count] of [
    ['train', 60_000],
    ['test', 10_000],
  ] as const) {
    const files = IDX_FILES[split];
    writeFileSync(
      join(dir, files.images),
      gzipSync(idx(0x803, [count, 28, 28], randomBytes(rng, count * 784)), { level: 1 }),
    );
    writeFileSync(join(dir, files.labels), gzipSync(idx(0x801, [count], randomBytes(rng, count, 10)), { level: 1 }));
  }
}

/** CIFAR-10's six extracted binary batches of 10,000 records each. */
function writeCifar(dir: string, rng: Rng): void {
  const batches = join(dir, CIFAR_BATCH_DIRECTORY);
  mkdirSync(batches, { recursive: true });
  for (const name of [...CIFAR_TRAIN_BATCHES, CIFAR_TEST_BATCH]) {
    const records = randomBytes(rng, 10_000 * CIFAR_RECORD_BYTES);
    for (let r = 0; r < 10_000; r++) records[r * CIFAR_RECORD_BYTES] = rng.int(0, 9);
    writeFileSync(join(batches, name), records);
  }
}

/**
 * Writes synthetic mnist, fashion-mnist and cifar10 under `dataDir` (skipping datasets already
 * there) and returns `dataDir`. About 250 MB; a few seconds.
 */
export function writeSyntheticDatasets(dataDir: string, seed = 7): string {
  const rng = Rng.fromSeed(seed);
  for (const id of ['mnist', 'fashion-mnist'] as const) {
    const dir = join(dataDir, DATASETS[id].directory);
    if (!existsSync(join(dir, IDX_FILES.test.labels))) writeIdxDataset(dir, rng);
  }
  const cifar = join(dataDir, DATASETS.cifar10.directory);
  if (!existsSync(join(cifar, CIFAR_BATCH_DIRECTORY, CIFAR_TEST_BATCH))) writeCifar(cifar, rng);
  return dataDir;
}
