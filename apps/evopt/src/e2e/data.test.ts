import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATASETS, fetchDataset, type DatasetSpec } from '@evopt/plugin-vision';
import { progressPrinter } from '../commands/data.js';
import { project, runCli } from './cli.js';

// The catalog pins the real files' SHA-256 sums, which no generated file can match, and tests
// never reach the internet. So these tests drive every path up to verification against a local
// server and check that the CLI refuses what does not match, keeps nothing that looks valid, and
// reports what is on disk honestly.

const MNIST = DATASETS.mnist;
const IMAGES = 'train-images-idx3-ubyte.gz';

/** Deterministic bytes that do not compress away (a linear congruential sequence). */
function bytes(length: number, seed: number): Buffer {
  const data = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    data[i] = x >>> 24;
  }
  return data;
}

const FILES: Record<string, Buffer> = Object.fromEntries(MNIST.files.map((f, i) => [f.name, bytes(8000 + i, i + 1)]));
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

interface Seen {
  path: string;
  range: string | undefined;
}
let server: Server;
let base: string;
const seen: Seen[] = [];

beforeAll(async () => {
  // /ok/<file> serves, /missing/<file> is 404, /cut/<file> sends 1000 bytes of what was asked and drops the connection.
  server = createServer((req, res) => {
    const [, mode = '', name = ''] = (req.url ?? '').split('/');
    seen.push({ path: req.url ?? '', range: req.headers.range });
    const data = FILES[decodeURIComponent(name)];
    if (mode === 'missing' || !data) return void res.writeHead(404).end();
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const headers = {
      'content-length': data.length - start,
      ...(start > 0 && { 'content-range': `bytes ${start}-${data.length - 1}/${data.length}` }),
    };
    res.writeHead(start > 0 ? 206 : 200, headers);
    if (mode === 'cut') res.write(data.subarray(start, start + 1000), () => setTimeout(() => res.destroy(), 50));
    else res.end(data.subarray(start));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at /);

describe('evopt data list', () => {
  it('lists every file as missing in an empty data dir and says how to fetch them (exit 0)', async () => {
    const cwd = project({});
    const result = await runCli(['data', 'list'], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`data dir: ${join(cwd, 'data')} ($EVOPT_DATA_DIR)`);
    expect(result.stdout).toMatch(/^dataset +file +size +status$/m);
    expect(result.stdout).toMatch(/^mnist +train-images-idx3-ubyte\.gz +- +missing \(9\.9 MB\)$/m);
    expect(result.stdout).toMatch(/^cifar10 +cifar-10-binary\.tar\.gz +- +missing \(170\.1 MB\)$/m);
    expect(result.stdout).toMatch(/^cifar10 +cifar-10-batches-bin\/ +- +not extracted$/m);
    expect(result.stdout.match(/missing/g)).toHaveLength(9);
    expect(result.stdout).toMatch(/\nto fetch them: evopt data fetch all\n$/);
  });

  it('takes the data dir from --data-dir over the config, and from the config over $EVOPT_DATA_DIR', async () => {
    const cwd = project({ dataDir: 'datasets' });
    expect((await runCli(['data', 'list', '--no-verify'], cwd)).stdout).toContain(
      `data dir: ${join(cwd, 'datasets')} (dataDir in evopt.config.json)`,
    );
    const flagged = await runCli(['data', 'list', '--data-dir', 'elsewhere'], cwd);
    expect(flagged.stdout).toContain(`data dir: ${join(cwd, 'elsewhere')} (--data-dir)`);
    expect(flagged.stdout).toContain(`evopt data fetch all --data-dir ${join(cwd, 'elsewhere')}`);
  });

  it('shows files that do not match the pins as MISMATCH, a .part as partial, and batches from another archive as not extracted', async () => {
    const cwd = project({});
    const dataDir = join(cwd, 'data');
    // Put files under the real names with the library, pinned to their own sums, as a mirror serving other files would.
    const impostor: DatasetSpec = {
      ...MNIST,
      mirrors: [`${base}/ok/`],
      files: MNIST.files.map((f) => ({ ...f, sha256: sha256(FILES[f.name]!), bytes: FILES[f.name]!.length })),
    };
    await fetchDataset(impostor, { dataDir });
    mkdirSync(join(dataDir, DATASETS['fashion-mnist'].directory));
    writeFileSync(
      join(dataDir, DATASETS['fashion-mnist'].directory, `${IMAGES}.part`),
      FILES[IMAGES]!.subarray(0, 1200),
    );
    // CIFAR-10 too: an archive of the right shape (made with the system tar), copied and extracted by the library.
    const source = mkdtempSync(join(tmpdir(), 'evopt-e2e-cifar-'));
    mkdirSync(join(source, 'cifar-10-batches-bin'));
    for (const name of ['data_batch_1', 'data_batch_2', 'data_batch_3', 'data_batch_4', 'data_batch_5', 'test_batch']) {
      writeFileSync(join(source, 'cifar-10-batches-bin', `${name}.bin`), bytes(3073, 7));
    }
    execFileSync('tar', ['-czf', 'cifar-10-binary.tar.gz', 'cifar-10-batches-bin'], { cwd: source });
    const cifarArchive = readFileSync(join(source, 'cifar-10-binary.tar.gz'));
    const cifar: DatasetSpec = {
      ...DATASETS.cifar10,
      files: [{ name: 'cifar-10-binary.tar.gz', sha256: sha256(cifarArchive), bytes: cifarArchive.length }],
    };
    expect((await fetchDataset(cifar, { dataDir, from: source })).extraction).toBe('extracted');

    const result = await runCli(['data', 'list'], cwd);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^mnist +train-images-idx3-ubyte\.gz +8\.0 kB +MISMATCH$/m);
    expect(result.stdout).toMatch(/^cifar10 +cifar-10-binary\.tar\.gz +[\d.]+ kB +MISMATCH$/m);
    // The batches on disk came from another archive than the pinned one: not counted as extracted.
    expect(result.stdout).toMatch(/^cifar10 +cifar-10-batches-bin\/ +- +not extracted$/m);
    expect(result.stdout.match(/^mnist .*MISMATCH$/gm)).toHaveLength(4);
    expect(result.stdout).toMatch(
      /^fashion-mnist +train-images-idx3-ubyte\.gz +1\.2 kB of 26\.4 MB +partial \(\.part\)$/m,
    );
    expect(result.stdout).toMatch(/\nto fetch them: evopt data fetch all\n$/);
    const quick = await runCli(['data', 'list', '--no-verify'], cwd);
    expect(quick.stdout).toMatch(/^mnist +train-images-idx3-ubyte\.gz +8\.0 kB +MISMATCH \(size\)$/m);
  }, 60_000);
});

describe('evopt data fetch', () => {
  function dataDirEntries(cwd: string): string[] {
    const dir = join(cwd, 'data', 'mnist');
    return existsSync(dir) ? readdirSync(dir) : [];
  }

  it('refuses files from --from <dir> that do not match the pinned SHA-256, keeping nothing (exit 5)', async () => {
    const cwd = project({});
    const source = mkdtempSync(join(tmpdir(), 'evopt-e2e-from-'));
    for (const [name, data] of Object.entries(FILES)) writeFileSync(join(source, name), data);
    const result = await runCli(['data', 'fetch', 'mnist', '--from', source], cwd);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`data dir: ${join(cwd, 'data')} ($EVOPT_DATA_DIR)`);
    expect(result.stderr).toContain(`error: ${IMAGES} from ${join(source, IMAGES)} does not match its pinned SHA-256:`);
    expect(result.stderr).toContain(`expected ${MNIST.files[0]!.sha256} (9912422 bytes)`);
    expect(result.stderr).toContain(`actual   ${sha256(FILES[IMAGES]!)} (8000 bytes)`);
    expect(result.stderr).toMatch(/fix: Run `evopt data fetch mnist` again/);
    noStack(result.stderr);
    expect(dataDirEntries(cwd)).toEqual([]);
  });

  it('refuses a download from --from <url> that does not match, keeping nothing (exit 5)', async () => {
    const cwd = project({});
    seen.length = 0;
    const result = await runCli(['data', 'fetch', 'mnist', '--from', `${base}/ok/`], cwd);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`error: ${IMAGES} from ${base}/ok/${IMAGES} does not match its pinned SHA-256`);
    expect(seen).toEqual([{ path: `/ok/${IMAGES}`, range: undefined }]);
    expect(dataDirEntries(cwd)).toEqual([]);
  });

  it('says which URL failed when the source has no such file (exit 5)', async () => {
    const result = await runCli(['data', 'fetch', 'fashion-mnist', '--from', `${base}/missing`], project({}));
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(
      `error: Could not download ${IMAGES} (Fashion-MNIST):\n  ${base}/missing/${IMAGES}: HTTP 404 Not Found`,
    );
    noStack(result.stderr);
  });

  it('keeps an interrupted download as .part, resumes it with Range requests, and says to run again (exit 5)', async () => {
    const cwd = project({});
    seen.length = 0;
    const result = await runCli(['data', 'fetch', 'mnist', '--from', `${base}/cut/`], cwd);
    expect(result.code).toBe(5);
    // One request, then two retries that each resume where the last stopped.
    expect(seen.map((s) => s.range)).toEqual([undefined, 'bytes=1000-', 'bytes=2000-']);
    expect(result.stderr).toMatch(/cut off after 1\.0 kB .*resuming \(retry 1 of 2\)/);
    expect(result.stderr).toContain(
      `error: The download of ${IMAGES} from ${base}/cut/${IMAGES} was cut off after 3.0 kB of 9.9 MB`,
    );
    expect(result.stderr).toMatch(
      /fix: Run the same command again \(evopt data fetch mnist\): it resumes from the 3\.0 kB kept in .*\.part/,
    );
    expect(dataDirEntries(cwd)).toEqual([`${IMAGES}.part`]);
    expect(statSync(join(cwd, 'data', 'mnist', `${IMAGES}.part`)).size).toBe(3000);

    seen.length = 0;
    const again = await runCli(['data', 'fetch', 'mnist', '--from', `${base}/ok/`], cwd);
    expect(seen[0]).toEqual({ path: `/ok/${IMAGES}`, range: 'bytes=3000-' });
    expect(again.stderr).toContain(`resuming from 3.0 kB kept in ${IMAGES}.part`);
    // The whole file is what the server has, which is not MNIST: refused, and nothing kept.
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/does not match its pin after resuming; downloading it again from zero/);
    expect(dataDirEntries(cwd)).toEqual([]);
  });

  it('names the dataset it does not know, with a did-you-mean (exit 2)', async () => {
    const result = await runCli(['data', 'fetch', 'mnsit'], project({}));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'error: Unknown dataset "mnsit". Known datasets: mnist, fashion-mnist, cifar10, all.',
    );
    expect(result.stderr).toContain('fix: Did you mean "mnist"? Run `evopt data fetch mnist`.');
  });

  it('a --from directory without the file is a data error, not a crash', async () => {
    const cwd = project({});
    mkdirSync(join(cwd, 'empty'));
    const result = await runCli(['data', 'fetch', 'cifar10', '--from', 'empty'], cwd);
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`error: cifar-10-binary.tar.gz is not in ${join(cwd, 'empty')}.`);
    noStack(result.stderr);
  });
});

describe('fetch progress', () => {
  const progress = (receivedBytes: number) => ({
    file: IMAGES,
    receivedBytes,
    totalBytes: 9_912_422,
    bytesPerSecond: 3_100_000,
  });

  it('redraws one line on a terminal, at most ten times a second, and wipes it before messages', () => {
    let out = '';
    let now = 0;
    const printer = progressPrinter({ isTTY: true, write: (t) => (out += t) }, () => now);
    printer.update(progress(4_956_211));
    now = 50;
    printer.update(progress(5_000_000)); // too soon: not drawn
    now = 120;
    printer.update(progress(9_912_422));
    printer.clear();
    expect(out.split('\r').filter(Boolean)).toEqual([
      `  ${IMAGES} [############------------]  5.0 MB / 9.9 MB  50%  3.1 MB/s\x1b[K`,
      `  ${IMAGES} [########################]  9.9 MB / 9.9 MB  100%  3.1 MB/s\x1b[K`,
      '\x1b[K',
    ]);
  });

  it('writes plain lines every few seconds when not a terminal', () => {
    const lines: string[] = [];
    let now = 0;
    const printer = progressPrinter({ isTTY: false, write: (t) => lines.push(t) }, () => now);
    for (now = 0; now <= 12_000; now += 100) printer.update(progress(now * 800));
    printer.clear();
    expect(lines).toEqual([
      `  ${IMAGES}  0 B / 9.9 MB  0%  3.1 MB/s\n`,
      `  ${IMAGES}  4.0 MB / 9.9 MB  40%  3.1 MB/s\n`,
      `  ${IMAGES}  8.0 MB / 9.9 MB  81%  3.1 MB/s\n`,
    ]);
  });
});
