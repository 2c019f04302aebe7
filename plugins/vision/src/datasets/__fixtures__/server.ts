// A local mirror for fetch tests: a node:http server on 127.0.0.1 that serves files under
// `/<mirror>/<name>`, honours Range, and misbehaves on request (404, cut connections, wrong
// bytes, ignored ranges). Everything it was asked is recorded.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { CIFAR_BATCH_DIRECTORY, CIFAR_TEST_BATCH, CIFAR_TRAIN_BATCHES } from '../catalog.js';
import type { DatasetFile, DatasetId, DatasetSpec } from '../types.js';
import { cifarBatch, gzip, idxImages, idxLabels } from './formats.js';

/** How one mirror behaves. */
export interface MirrorBehaviour {
  /** Answer every request with this status and no body. */
  status?: number;
  /** Send the full headers, then only this many body bytes, then destroy the socket. */
  cutAfter?: number;
  /** How many requests get cut (default: all while `cutAfter` is set). */
  cuts?: number;
  /** Send the full headers, then only this many body bytes, then wait until the client goes away. */
  stallAfter?: number;
  /** Serve the file with its bytes changed (same length). */
  corrupt?: boolean;
  /** Answer range requests with 200 and the whole file. */
  ignoreRange?: boolean;
}

const CUT_DELAY_MS = 50;

export interface RecordedRequest {
  readonly mirror: string;
  readonly file: string;
  readonly range: string | undefined;
}

export interface FixtureServer {
  /** Base URL of a mirror, ending in '/'. */
  url(mirror: string): string;
  readonly requests: RecordedRequest[];
  behave(mirror: string, behaviour: MirrorBehaviour): void;
  close(): Promise<void>;
}

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function serve(
  files: ReadonlyMap<string, Buffer>,
  behaviours: Map<string, MirrorBehaviour>,
  requests: RecordedRequest[],
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const [, mirror = '', ...rest] = (req.url ?? '/').split('/');
    const file = decodeURIComponent(rest.join('/'));
    requests.push({ mirror, file, range: req.headers.range });
    const behaviour = behaviours.get(mirror) ?? {};
    const data = files.get(file);
    if (behaviour.status !== undefined || data === undefined) {
      res.writeHead(behaviour.status ?? 404).end();
      return;
    }
    const body = behaviour.corrupt ? Buffer.from(data.map((b) => b ^ 0xff)) : data;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    if (range && !behaviour.ignoreRange) {
      start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-length': body.length - start,
        'content-range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
    } else {
      res.writeHead(200, { 'content-length': body.length, 'accept-ranges': 'bytes' });
    }
    const cut = behaviour.cutAfter !== undefined && (behaviour.cuts === undefined || behaviour.cuts > 0);
    if (cut && behaviour.cutAfter !== undefined) {
      if (behaviour.cuts !== undefined) behaviour.cuts--;
      // Destroy a moment after the bytes went out, so the client reads them before it sees the cut
      // (a stream that errors drops the chunks still queued in it).
      res.write(body.subarray(start, start + behaviour.cutAfter), () => setTimeout(() => res.destroy(), CUT_DELAY_MS));
      return;
    }
    if (behaviour.stallAfter !== undefined) {
      res.write(body.subarray(start, start + behaviour.stallAfter));
      return;
    }
    res.end(body.subarray(start));
  };
}

/** Starts a server for `files` (name → bytes) on a free port of 127.0.0.1. */
export async function startServer(files: Readonly<Record<string, Buffer>>): Promise<FixtureServer> {
  const behaviours = new Map<string, MirrorBehaviour>();
  const requests: RecordedRequest[] = [];
  const server = createServer(serve(new Map(Object.entries(files)), behaviours, requests));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: (mirror) => `http://127.0.0.1:${port}/${mirror}/`,
    requests,
    behave: (mirror, behaviour) => behaviours.set(mirror, behaviour),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** Generated MNIST-format files under the real names: small, but real IDX, gzipped. */
export function idxFiles(count = 20): Record<string, Buffer> {
  return {
    'train-images-idx3-ubyte.gz': gzip(idxImages(count)),
    'train-labels-idx1-ubyte.gz': gzip(idxLabels(count)),
    't10k-images-idx3-ubyte.gz': gzip(idxImages(count / 2)),
    't10k-labels-idx1-ubyte.gz': gzip(idxLabels(count / 2)),
  };
}

/** A cifar-10-binary.tar.gz-shaped archive: cifar-10-batches-bin/ with six small batches and the meta file. */
export async function cifarArchive(recordsPerBatch = 4): Promise<Buffer> {
  const root = mkdtempSync(join(tmpdir(), 'evopt-cifar-archive-'));
  const batches = join(root, CIFAR_BATCH_DIRECTORY);
  mkdirSync(batches);
  [...CIFAR_TRAIN_BATCHES, CIFAR_TEST_BATCH].forEach((name, i) =>
    writeFileSync(join(batches, name), cifarBatch(recordsPerBatch, i * recordsPerBatch)),
  );
  writeFileSync(
    join(batches, 'batches.meta.txt'),
    'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n',
  );
  const archive = join(root, 'cifar-10-binary.tar.gz');
  await create({ gzip: true, cwd: root, file: archive, portable: true }, [CIFAR_BATCH_DIRECTORY]);
  const bytes = readFileSync(archive);
  rmSync(root, { recursive: true, force: true });
  return bytes;
}

/** A spec for `files` pinned to their real SHA-256 sums, fetched from `mirrors`. */
export function specFor(
  id: DatasetId,
  files: Readonly<Record<string, Buffer>>,
  mirrors: readonly string[],
  directory: string = id,
): DatasetSpec {
  const pinned: DatasetFile[] = Object.entries(files).map(([name, data]) => ({
    name,
    sha256: sha256(data),
    bytes: data.length,
  }));
  return { id, title: `test ${id}`, mirrors, files: pinned, directory };
}
