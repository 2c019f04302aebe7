import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isEvoptError, type EvoptError } from '@evopt/core';
import { CIFAR_BATCH_DIRECTORY, CIFAR_TEST_BATCH, CIFAR_TRAIN_BATCHES } from './catalog.js';
import { EXTRACTED_MARKER } from './extract.js';
import { fetchDataset, type FetchOptions, type FetchProgress } from './fetch.js';
import { cifarArchive, idxFiles, specFor, startServer, type FixtureServer } from './__fixtures__/server.js';
import { cifarBatch } from './__fixtures__/formats.js';

const FILES = idxFiles(200);
const IMAGES = 'train-images-idx3-ubyte.gz';
let archive: Buffer;
let server: FixtureServer;
const scratch: string[] = [];

beforeAll(async () => {
  archive = await cifarArchive();
  server = await startServer({ ...FILES, 'cifar-10-binary.tar.gz': archive });
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
  for (const mirror of ['good', 'dead', 'other']) server.behave(mirror, {});
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'evopt-fetch-'));
  scratch.push(dir);
  return dir;
}

const mnist = (mirrors = [server.url('good')]) => specFor('mnist', FILES, mirrors);

async function failure(promise: Promise<unknown>): Promise<EvoptError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isEvoptError(error)) throw new Error(`expected an EvoptError, got ${String(error)}`);
  return error;
}

function fetchWith(spec: ReturnType<typeof mnist>, options: FetchOptions) {
  const events: string[] = [];
  const progress: FetchProgress[] = [];
  const result = fetchDataset(spec, {
    ...options,
    onEvent: (m) => events.push(m),
    onProgress: (p) => progress.push(p),
  });
  return { result, events, progress };
}

describe('fetchDataset', () => {
  it('downloads every file, verified, with progress, and leaves no .part', async () => {
    const dir = dataDir();
    const { result, events, progress } = fetchWith(mnist(), { dataDir: dir });
    const { files, directory, extraction } = await result;
    expect(directory).toBe(join(dir, 'mnist'));
    expect(files.map((f) => f.outcome)).toEqual(['downloaded', 'downloaded', 'downloaded', 'downloaded']);
    expect(extraction).toBeNull();
    for (const [name, data] of Object.entries(FILES))
      expect(readFileSync(join(dir, 'mnist', name)).equals(data)).toBe(true);
    expect(readdirSync(join(dir, 'mnist')).filter((f) => f.endsWith('.part'))).toEqual([]);
    expect(progress.at(-1)).toMatchObject({
      file: 't10k-labels-idx1-ubyte.gz',
      receivedBytes: FILES['t10k-labels-idx1-ubyte.gz']!.length,
    });
    expect(progress.every((p) => p.totalBytes === FILES[p.file]!.length)).toBe(true);
    expect(events).toContain(`${IMAGES}: downloaded, checksum OK`);
    expect(server.requests.every((r) => r.range === undefined)).toBe(true);
  });

  it('does nothing, and asks no server, when everything is present and verifies', async () => {
    const dir = dataDir();
    await fetchDataset(mnist(), { dataDir: dir });
    server.requests.length = 0;
    const { result, events } = fetchWith(mnist(), { dataDir: dir });
    expect((await result).files.map((f) => f.outcome)).toEqual(['present', 'present', 'present', 'present']);
    expect(server.requests).toEqual([]);
    expect(events).toContain(`${IMAGES}: already present, checksum OK`);
  });

  it('keeps the .part of an interrupted download and resumes it with a Range request', async () => {
    const dir = dataDir();
    server.behave('good', { cutAfter: 1000, cuts: 1 });
    const error = await failure(fetchDataset(mnist(), { dataDir: dir, retries: 0 }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(
      new RegExp(`${IMAGES} from ${server.url('good')}${IMAGES} was cut off after 1\\.0 kB`),
    );
    expect(error.fix).toMatch(/Run the same command again \(evopt data fetch mnist\): it resumes/);
    expect(existsSync(join(dir, 'mnist', IMAGES))).toBe(false);
    expect(readFileSync(join(dir, 'mnist', `${IMAGES}.part`)).equals(FILES[IMAGES]!.subarray(0, 1000))).toBe(true);

    server.requests.length = 0;
    const { files } = await fetchDataset(mnist(), { dataDir: dir });
    expect(server.requests[0]).toEqual({ mirror: 'good', file: IMAGES, range: 'bytes=1000-' });
    expect(files[0]).toMatchObject({ outcome: 'resumed', bytes: FILES[IMAGES]!.length });
    expect(readFileSync(join(dir, 'mnist', IMAGES)).equals(FILES[IMAGES]!)).toBe(true);
    expect(existsSync(join(dir, 'mnist', `${IMAGES}.part`))).toBe(false);
  });

  it('resumes by itself within one run when retries are allowed', async () => {
    server.behave('good', { cutAfter: 500, cuts: 1 });
    const { result, events } = fetchWith(mnist(), { dataDir: dataDir(), retries: 1 });
    expect((await result).files[0]?.outcome).toBe('resumed');
    expect(server.requests.slice(0, 2).map((r) => r.range)).toEqual([undefined, 'bytes=500-']);
    expect(events.some((e) => /cut off after 500 B .*retry 1 of 1/.test(e))).toBe(true);
  });

  it('keeps nothing when the bytes do not match the pin, and says what was expected', async () => {
    const dir = dataDir();
    server.behave('good', { corrupt: true });
    const spec = mnist();
    const error = await failure(fetchDataset(spec, { dataDir: dir }));
    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.message).toContain(`${IMAGES} from ${server.url('good')}${IMAGES} does not match its pinned SHA-256`);
    expect(error.message).toContain(`expected ${spec.files[0]!.sha256}`);
    expect(error.message).toMatch(/actual {3}[0-9a-f]{64}/);
    expect(error.fix).toMatch(/evopt data fetch mnist/);
    expect(readdirSync(join(dir, 'mnist'))).toEqual([]);
  });

  it('falls back to the next mirror when one fails', async () => {
    server.behave('dead', { status: 404 });
    const { result, events } = fetchWith(mnist([server.url('dead'), server.url('good')]), { dataDir: dataDir() });
    const { files } = await result;
    expect(files.map((f) => f.source)).toEqual(Object.keys(FILES).map((name) => `${server.url('good')}${name}`));
    expect(server.requests.slice(0, 2).map((r) => r.mirror)).toEqual(['dead', 'good']);
    expect(events).toContain(`${server.url('dead')}${IMAGES}: HTTP 404 Not Found; trying the next mirror`);
  });

  it('names every mirror tried when none can serve the file', async () => {
    server.behave('dead', { status: 503 });
    const closed = 'http://127.0.0.1:1/';
    const error = await failure(fetchDataset(mnist([server.url('dead'), closed]), { dataDir: dataDir() }));
    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain(`${server.url('dead')}${IMAGES}: HTTP 503`);
    expect(error.message).toContain(`${closed}${IMAGES}: fetch failed`);
  });

  it('starts again from zero when the server ignores the Range request', async () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'mnist'));
    writeFileSync(join(dir, 'mnist', `${IMAGES}.part`), FILES[IMAGES]!.subarray(0, 700));
    server.behave('good', { ignoreRange: true });
    const { result, events } = fetchWith(mnist(), { dataDir: dir });
    expect((await result).files[0]?.outcome).toBe('downloaded');
    expect(server.requests[0]?.range).toBe('bytes=700-');
    expect(events).toContain(`${IMAGES}: the server ignored the range request; starting again from zero`);
    expect(readFileSync(join(dir, 'mnist', IMAGES)).equals(FILES[IMAGES]!)).toBe(true);
  });

  it('starts again from zero once when a resumed file does not verify (a bad kept part)', async () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'mnist'));
    writeFileSync(join(dir, 'mnist', `${IMAGES}.part`), Buffer.alloc(700, 7));
    const { result, events } = fetchWith(mnist(), { dataDir: dir });
    expect((await result).files[0]?.outcome).toBe('downloaded');
    expect(server.requests.slice(0, 2).map((r) => r.range)).toEqual(['bytes=700-', undefined]);
    expect(events.some((e) => /kept part was bad/.test(e))).toBe(true);
    expect(readFileSync(join(dir, 'mnist', IMAGES)).equals(FILES[IMAGES]!)).toBe(true);
  });

  it('copies from a local directory, verified, with progress and no network', async () => {
    const source = dataDir();
    for (const [name, data] of Object.entries(FILES)) writeFileSync(join(source, name), data);
    const dir = dataDir();
    const { result, progress } = fetchWith(mnist(), { dataDir: dir, from: source });
    const { files } = await result;
    expect(files.map((f) => f.outcome)).toEqual(['copied', 'copied', 'copied', 'copied']);
    expect(files[0]?.source).toBe(join(source, IMAGES));
    expect(progress.some((p) => p.file === IMAGES && p.receivedBytes === FILES[IMAGES]!.length)).toBe(true);
    expect(readFileSync(join(dir, 'mnist', IMAGES)).equals(FILES[IMAGES]!)).toBe(true);
    expect(server.requests).toEqual([]);
  });

  it('refuses a local copy that does not match, and a directory without the file', async () => {
    const source = dataDir();
    for (const [name, data] of Object.entries(FILES)) writeFileSync(join(source, name), data.subarray(1));
    const dir = dataDir();
    const bad = await failure(fetchDataset(mnist(), { dataDir: dir, from: source }));
    expect(bad.code).toBe('CHECKSUM_MISMATCH');
    expect(bad.message).toContain(join(source, IMAGES));
    expect(readdirSync(join(dir, 'mnist'))).toEqual([]);
    rmSync(join(source, IMAGES));
    const missing = await failure(fetchDataset(mnist(), { dataDir: dir, from: source }));
    expect(missing.code).toBe('DOWNLOAD_FAILED');
    expect(missing.message).toBe(`${IMAGES} is not in ${source}.${missing.fix ? `\n  fix: ${missing.fix}` : ''}`);
    const nowhere = await failure(fetchDataset(mnist(), { dataDir: dir, from: join(source, 'nope') }));
    expect(nowhere.message).toMatch(/is neither an http\(s\) URL nor a directory/);
  });

  it('downloads from a --from URL instead of the mirrors', async () => {
    server.behave('dead', { status: 500 });
    const { files } = await fetchDataset(mnist([server.url('dead')]), {
      dataDir: dataDir(),
      from: server.url('other').slice(0, -1),
    });
    expect(files.map((f) => f.outcome)).toEqual(['downloaded', 'downloaded', 'downloaded', 'downloaded']);
    expect(new Set(server.requests.map((r) => r.mirror))).toEqual(new Set(['other']));
  });

  it('deletes a final file that does not verify and fetches it again', async () => {
    const dir = dataDir();
    await fetchDataset(mnist(), { dataDir: dir });
    writeFileSync(join(dir, 'mnist', IMAGES), 'not the file');
    server.requests.length = 0;
    const { result, events } = fetchWith(mnist(), { dataDir: dir });
    expect((await result).files.map((f) => f.outcome)).toEqual(['downloaded', 'present', 'present', 'present']);
    expect(server.requests.map((r) => r.file)).toEqual([IMAGES]);
    expect(
      events.some(
        (e) => e.startsWith(`${IMAGES}: on disk but its SHA-256 is`) && e.endsWith('deleting it and fetching it again'),
      ),
    ).toBe(true);
    expect(readFileSync(join(dir, 'mnist', IMAGES)).equals(FILES[IMAGES]!)).toBe(true);
  });

  it('stops with ABORTED when the signal fires, keeping the .part', async () => {
    const dir = dataDir();
    server.behave('good', { stallAfter: 800 });
    const controller = new AbortController();
    const error = await failure(
      fetchDataset(mnist(), {
        dataDir: dir,
        signal: controller.signal,
        onProgress: (p) => p.receivedBytes >= 800 && controller.abort(),
      }),
    );
    expect(error.code).toBe('ABORTED');
    expect(error.fix).toMatch(/resumes/);
    expect(readFileSync(join(dir, 'mnist', `${IMAGES}.part`)).length).toBe(800);
  });
});

describe('fetchDataset for CIFAR-10', () => {
  const cifar = () => specFor('cifar10', { 'cifar-10-binary.tar.gz': archive }, [server.url('good')]);
  const batchDir = (dir: string) => join(dir, 'cifar10', CIFAR_BATCH_DIRECTORY);

  it('extracts the six batches once, with a marker, and skips extraction the next time', async () => {
    const dir = dataDir();
    const first = await fetchDataset(cifar(), { dataDir: dir });
    expect(first.extraction).toBe('extracted');
    const names = readdirSync(batchDir(dir)).sort();
    expect(names).toEqual([EXTRACTED_MARKER, 'batches.meta.txt', ...CIFAR_TRAIN_BATCHES, CIFAR_TEST_BATCH].sort());
    expect(readFileSync(join(batchDir(dir), 'data_batch_2.bin')).equals(cifarBatch(4, 4))).toBe(true);
    expect(JSON.parse(readFileSync(join(batchDir(dir), EXTRACTED_MARKER), 'utf8'))).toMatchObject({
      sha256: cifar().files[0]!.sha256,
    });
    expect(readdirSync(join(dir, 'cifar10')).sort()).toEqual([CIFAR_BATCH_DIRECTORY, 'cifar-10-binary.tar.gz']);

    server.requests.length = 0;
    const second = await fetchDataset(cifar(), { dataDir: dir });
    expect(second.extraction).toBe('present');
    expect(second.files[0]?.outcome).toBe('present');
    expect(server.requests).toEqual([]);
  });

  it('extracts again when the marker or a batch file is missing', async () => {
    const dir = dataDir();
    await fetchDataset(cifar(), { dataDir: dir });
    rmSync(join(batchDir(dir), EXTRACTED_MARKER));
    expect((await fetchDataset(cifar(), { dataDir: dir })).extraction).toBe('extracted');
    rmSync(join(batchDir(dir), CIFAR_TEST_BATCH));
    expect((await fetchDataset(cifar(), { dataDir: dir })).extraction).toBe('extracted');
    expect(existsSync(join(batchDir(dir), CIFAR_TEST_BATCH))).toBe(true);
    expect(server.requests.filter((r) => r.mirror === 'good')).toHaveLength(1);
  });
});
