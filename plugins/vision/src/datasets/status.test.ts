import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR_BATCH_DIRECTORY, CIFAR_TEST_BATCH } from './catalog.js';
import { fetchDataset } from './fetch.js';
import { datasetStatus, formatBytes } from './status.js';
import { cifarArchive, idxFiles, specFor, startServer, type FixtureServer } from './__fixtures__/server.js';

const FILES = idxFiles(40);
const IMAGES = 'train-images-idx3-ubyte.gz';
let server: FixtureServer;
let archive: Buffer;
let dataDir: string;

beforeAll(async () => {
  archive = await cifarArchive();
  server = await startServer({ ...FILES, 'cifar-10-binary.tar.gz': archive });
  dataDir = mkdtempSync(join(tmpdir(), 'evopt-status-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('datasetStatus', () => {
  it('reports missing files before a fetch and verified ones after', async () => {
    const spec = specFor('mnist', FILES, [server.url('m')]);
    const before = await datasetStatus(spec, dataDir, { verify: true });
    expect(before).toMatchObject({ id: 'mnist', directory: join(dataDir, 'mnist'), extracted: null, complete: false });
    expect(before.files.map((f) => [f.state, f.present, f.bytes, f.verified])).toEqual(
      Array(4).fill(['missing', false, null, null]),
    );

    await fetchDataset(spec, { dataDir });
    const after = await datasetStatus(spec, dataDir, { verify: true });
    expect(after.complete).toBe(true);
    expect(after.files.map((f) => [f.name, f.state, f.bytes, f.verified])).toEqual(
      Object.entries(FILES).map(([name, data]) => [name, 'verified', data.length, true]),
    );
  });

  it('tells a corrupt file, a .part and an unhashed file apart', async () => {
    const spec = specFor('mnist', FILES, [server.url('m')], 'mnist-damaged');
    await fetchDataset(spec, { dataDir });
    const dir = join(dataDir, 'mnist-damaged');
    writeFileSync(join(dir, IMAGES), Buffer.from(FILES[IMAGES]!).fill(0, 0, 10)); // same size, other bytes
    rmSync(join(dir, 't10k-labels-idx1-ubyte.gz'));
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz.part'), FILES['t10k-labels-idx1-ubyte.gz']!.subarray(0, 5));
    truncateSync(join(dir, 't10k-images-idx3-ubyte.gz'), 3);

    const checked = await datasetStatus(spec, dataDir, { verify: true });
    expect(checked.complete).toBe(false);
    expect(checked.files.map((f) => [f.state, f.bytes])).toEqual([
      ['mismatch', FILES[IMAGES]!.length],
      ['verified', FILES['train-labels-idx1-ubyte.gz']!.length],
      ['mismatch', 3],
      ['partial', 5],
    ]);
    // Without hashing, a same-size corrupt file passes as unverified; a wrong size is still caught.
    const quick = await datasetStatus(spec, dataDir, { verify: false });
    expect(quick.files.map((f) => [f.state, f.verified])).toEqual([
      ['unverified', null],
      ['unverified', null],
      ['mismatch', null],
      ['partial', null],
    ]);
  });

  it('says whether the CIFAR-10 batches are extracted', async () => {
    const spec = specFor('cifar10', { 'cifar-10-binary.tar.gz': archive }, [server.url('m')]);
    expect((await datasetStatus(spec, dataDir, { verify: true })).extracted).toBe(false);
    await fetchDataset(spec, { dataDir });
    expect(await datasetStatus(spec, dataDir, { verify: true })).toMatchObject({ extracted: true, complete: true });
    rmSync(join(dataDir, 'cifar10', CIFAR_BATCH_DIRECTORY, CIFAR_TEST_BATCH));
    expect(await datasetStatus(spec, dataDir, { verify: false })).toMatchObject({ extracted: false, complete: false });
  });
});

describe('formatBytes', () => {
  it('uses decimal units', () => {
    expect([512, 28_881, 9_912_422, 170_052_171, 2e9].map(formatBytes)).toEqual([
      '512 B',
      '28.9 kB',
      '9.9 MB',
      '170.1 MB',
      '2.0 GB',
    ]);
  });
});
