// The paper's tasks end to end, on small files in the real formats: the data dir is read by the
// real loaders in each worker, and the run trains the SmallCNN-family tasks and the CIFAR CNN.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { events, onlyRun, project, runCli } from './cli.js';

/** Deterministic bytes: pixel j of image i. */
const byte = (i: number, j: number): number => (i * 31 + j * 7) % 256;

function idx(magic: number, dims: readonly number[], body: (index: number) => number): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  const size = dims.reduce((a, b) => a * b, 1);
  return Buffer.concat([header, Buffer.from(Array.from({ length: size }, (_, k) => body(k)))]);
}

/** MNIST-format files: `train` and `test` images with labels, gzipped as published. */
function writeIdx(dir: string, train: number, test: number): void {
  mkdirSync(dir, { recursive: true });
  for (const [prefix, count] of [
    ['train', train],
    ['t10k', test],
  ] as const) {
    writeFileSync(
      join(dir, `${prefix}-images-idx3-ubyte.gz`),
      gzipSync(idx(0x803, [count, 28, 28], (k) => byte(Math.floor(k / 784), k % 784))),
    );
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), gzipSync(idx(0x801, [count], (i) => (i * 3 + 1) % 10)));
  }
}

/** CIFAR-10's extracted binary batches, `perBatch` records each. */
function writeCifar(dir: string, perBatch: number): void {
  const batches = join(dir, 'cifar-10-batches-bin');
  mkdirSync(batches, { recursive: true });
  const names = [
    'data_batch_1.bin',
    'data_batch_2.bin',
    'data_batch_3.bin',
    'data_batch_4.bin',
    'data_batch_5.bin',
    'test_batch.bin',
  ];
  names.forEach((name, b) => {
    const records = Buffer.alloc(perBatch * 3073);
    for (let r = 0; r < perBatch; r++) {
      const i = b * perBatch + r;
      records[r * 3073] = (i * 3 + 1) % 10;
      for (let j = 0; j < 3072; j++) records[r * 3073 + 1 + j] = byte(i, j);
    }
    writeFileSync(join(batches, name), records);
  });
}

const SMALL = { trainSubset: 64, validationSize: 32, batchSize: 16 };

describe('evopt evolve on the mnist, fashion-mnist and cifar10 tasks (files in the real formats)', () => {
  it('loads each dataset in the workers, trains the three tasks, and journals validation accuracy for each', async () => {
    const cwd = project({
      preset: 'paper',
      ga: { populationSize: 4, generations: 2, elites: 1 },
      tasks: [
        { id: 'mnist', options: { ...SMALL, model: 'mlp' } },
        { id: 'fashion-mnist', options: { ...SMALL, model: 'mlp' } },
        { id: 'cifar10', options: SMALL },
      ],
      evaluation: { steps: 3, seeds: 1, evaluator: { id: 'worker-pool', options: { workers: 2, batchSize: 4 } } },
    });
    writeIdx(join(cwd, 'data', 'mnist'), 120, 40);
    writeIdx(join(cwd, 'data', 'fashion-mnist'), 120, 40);
    writeCifar(join(cwd, 'data', 'cifar10'), 24);
    const result = await runCli(['evolve'], cwd);
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const records = events(onlyRun(cwd)).flatMap((e) => (e.type === 'evaluation-finished' ? [e.record] : []));
    for (const task of ['mnist', 'fashion-mnist', 'cifar10']) {
      const ok = records.filter((r) => r.task === task && r.status === 'ok');
      expect(ok.length).toBeGreaterThan(0);
      for (const record of ok) expect(record.metrics['valAccuracy']).toBeGreaterThanOrEqual(0);
    }
    expect(records.some((r) => r.status === 'failed')).toBe(false);
  });

  it('refuses a truncated file, naming it and the fetch command, and trains nothing on it', async () => {
    const cwd = project({
      preset: 'paper',
      ga: { populationSize: 4, generations: 1, elites: 1 },
      tasks: [{ id: 'mnist', options: { ...SMALL, model: 'mlp' } }],
      evaluation: { steps: 2, seeds: 1, evaluator: { id: 'worker-pool', options: { workers: 1 } } },
    });
    writeIdx(join(cwd, 'data', 'mnist'), 120, 40);
    const raw = idx(0x803, [40, 28, 28], () => 0);
    writeFileSync(join(cwd, 'data', 'mnist', 't10k-images-idx3-ubyte.gz'), gzipSync(raw.subarray(0, raw.length - 100)));
    const result = await runCli(['evolve'], cwd);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/t10k-images-idx3-ubyte\.gz/);
    expect(result.stderr).toMatch(/truncated/);
    expect(result.stderr).toMatch(/evopt data fetch mnist/);
  });
});
