// Downloading a dataset's files into the data dir. Bytes go to `<file>.part` only, hashed as they
// stream; the final name appears (by an atomic rename) only once the SHA-256 matches the pin. So a
// failed or tampered download never leaves a file that looks valid, and an interrupted one keeps
// its .part for the next run to resume with a Range request.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { EvoptError } from '@evopt/core';
import { fetchCommand } from './catalog.js';
import { extractCifar } from './extract.js';
import { formatBytes } from './status.js';
import { checkFile, fileSize, hashInto } from './verify.js';
import { request, SourceUnavailable, TransferInterrupted, type Transfer } from './http.js';
import type { DatasetFile, DatasetId, DatasetSpec } from './types.js';

/** How far the transfer of one file has got. */
export interface FetchProgress {
  readonly file: string;
  /** Bytes of the file on disk so far, including those kept from an earlier, interrupted run. */
  readonly receivedBytes: number;
  readonly totalBytes: number | null;
  /** Over this transfer only. */
  readonly bytesPerSecond: number;
}

export interface FetchOptions {
  /** The data dir; files go to `<dataDir>/<spec.directory>/`. */
  readonly dataDir: string;
  /** A base URL (`http(s)://…/`) used instead of the mirrors, or a local directory to copy the files from. */
  readonly from?: string;
  readonly onProgress?: (progress: FetchProgress) => void;
  /** What happened, in a sentence: a file already present, a mirror that failed, a resume. */
  readonly onEvent?: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Further attempts, resuming, after a transfer is cut off mid-way; default 2. */
  readonly retries?: number;
}

/** What fetching did for one file: nothing ('present'), a fresh download, a resumed one, or a copy. */
export type FetchOutcome = 'present' | 'downloaded' | 'resumed' | 'copied';

export interface FetchedFile {
  readonly name: string;
  readonly path: string;
  readonly outcome: FetchOutcome;
  readonly bytes: number;
  /** The URL or path the bytes came from; null when the file was already present. */
  readonly source: string | null;
}

export interface FetchResult {
  readonly dataset: DatasetId;
  /** The dataset's directory, absolute. */
  readonly directory: string;
  readonly files: readonly FetchedFile[];
  /** For archives (CIFAR-10): whether the batches were extracted now or already; null otherwise. */
  readonly extraction: 'extracted' | 'present' | null;
}

const DEFAULT_RETRIES = 2;
const RETRY_DELAY_MS = 500;

interface Context {
  readonly spec: DatasetSpec;
  readonly directory: string;
  readonly options: FetchOptions;
  readonly event: (message: string) => void;
}

/**
 * Makes sure every file of `spec` is in the data dir and matches its pinned SHA-256, fetching
 * only what is missing or corrupt; for CIFAR-10, also extracts the batches. A second run with
 * everything in place touches no network.
 *
 * @throws EvoptError DOWNLOAD_FAILED when no source could deliver a file, or a transfer was cut
 * off (the .part is kept: running again resumes); CHECKSUM_MISMATCH when the bytes do not match
 * the pin (nothing is kept); ABORTED when `signal` fires.
 */
export async function fetchDataset(spec: DatasetSpec, options: FetchOptions): Promise<FetchResult> {
  const directory = resolve(options.dataDir, spec.directory);
  const context: Context = { spec, directory, options, event: options.onEvent ?? (() => {}) };
  await mkdir(directory, { recursive: true });
  const files: FetchedFile[] = [];
  try {
    for (const file of spec.files) files.push(await fetchFile(context, file));
  } catch (error) {
    throw options.signal?.aborted && !(error instanceof EvoptError) ? aborted(spec) : error;
  }
  let extraction: FetchResult['extraction'] = null;
  const archive = spec.id === 'cifar10' ? spec.files[0] : undefined;
  if (archive) {
    extraction = await extractCifar(join(directory, archive.name), directory, archive.sha256, archive.name);
    context.event(
      extraction === 'present'
        ? `${archive.name}: batches already extracted`
        : `${archive.name}: extracted the batches`,
    );
  }
  return { dataset: spec.id, directory, files, extraction };
}

type Source =
  { readonly kind: 'urls'; readonly bases: readonly string[] } | { readonly kind: 'dir'; readonly dir: string };

async function sourceOf(context: Context): Promise<Source> {
  const from = context.options.from;
  if (from === undefined) return { kind: 'urls', bases: context.spec.mirrors };
  if (/^https?:\/\//i.test(from)) return { kind: 'urls', bases: [from.endsWith('/') ? from : `${from}/`] };
  const dir = from.startsWith('file:') ? fileURLToPath(from) : resolve(from);
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) {
    throw new EvoptError('DOWNLOAD_FAILED', `--from "${from}" is neither an http(s) URL nor a directory.`, {
      fix: 'Pass a base URL such as https://host/path/ or a directory holding the dataset files.',
      details: { dataset: context.spec.id, from },
    });
  }
  return { kind: 'dir', dir };
}

async function fetchFile(context: Context, file: DatasetFile): Promise<FetchedFile> {
  const path = join(context.directory, file.name);
  const existing = await checkFile(path, file, context.options.signal);
  if (existing.state === 'verified') {
    context.event(`${file.name}: already present, checksum OK`);
    return { name: file.name, path, outcome: 'present', bytes: existing.bytes, source: null };
  }
  const source = await sourceOf(context);
  if (existing.state === 'mismatch') {
    if (source.kind === 'dir' && resolve(source.dir, file.name) === path)
      throw mismatch(context, file, path, existing.sha256, existing.bytes, false);
    context.event(
      `${file.name}: on disk but its SHA-256 is ${existing.sha256}, not the pinned ${file.sha256}; deleting it and fetching it again`,
    );
    await rm(path, { force: true });
  }
  if (source.kind === 'dir') return copyFile(context, file, join(source.dir, file.name), path);
  const failures: string[] = [];
  for (const [i, base] of source.bases.entries()) {
    const url = new URL(encodeURIComponent(file.name), base).href;
    try {
      return await download(context, file, url, path);
    } catch (error) {
      if (!(error instanceof SourceUnavailable)) throw error;
      failures.push(`${url}: ${error.message}`);
      if (i < source.bases.length - 1) context.event(`${url}: ${error.message}; trying the next mirror`);
    }
  }
  throw new EvoptError(
    'DOWNLOAD_FAILED',
    `Could not download ${file.name} (${context.spec.title}):\n${failures.map((f) => `  ${f}`).join('\n')}`,
    {
      fix: `Check the network connection and run \`${fetchCommand(context.spec.id)}\` again, or download ${file.name} yourself (${context.spec.mirrors.join(' or ')}) into a directory and pass it with --from <dir>.`,
      details: { dataset: context.spec.id, file: file.name, failures },
    },
  );
}

/** Downloads `url` into `<path>.part` (resuming, retrying a transfer that is cut off), verifies and renames it. */
async function download(context: Context, file: DatasetFile, url: string, path: string): Promise<FetchedFile> {
  const part = `${path}.part`;
  const retries = context.options.retries ?? DEFAULT_RETRIES;
  let restartedAfterMismatch = false;
  for (let attempt = 0; ; attempt++) {
    let transfer: Transfer;
    try {
      transfer = await transferInto(context, file, url, part);
    } catch (error) {
      if (!(error instanceof TransferInterrupted)) throw error;
      if (context.options.signal?.aborted) throw aborted(context.spec, part, error.received);
      if (attempt < retries) {
        context.event(
          `${file.name}: transfer cut off after ${formatBytes(error.received)} (${error.message}); resuming (retry ${attempt + 1} of ${retries})`,
        );
        await sleep(
          RETRY_DELAY_MS * (attempt + 1),
          undefined,
          context.options.signal ? { signal: context.options.signal } : {},
        );
        continue;
      }
      throw new EvoptError(
        'DOWNLOAD_FAILED',
        `The download of ${file.name} from ${url} was cut off after ${formatBytes(error.received)} of ${formatBytes(file.bytes)}: ${error.message}.`,
        {
          fix: `Run the same command again (${fetchCommand(context.spec.id)}): it resumes from the ${formatBytes(error.received)} kept in ${part}.`,
          details: { dataset: context.spec.id, file: file.name, url, part, receivedBytes: error.received },
        },
      );
    }
    if (transfer.sha256 === file.sha256.toLowerCase()) {
      await commit(part, path);
      context.event(
        `${file.name}: ${transfer.resumedFrom > 0 ? `resumed from ${formatBytes(transfer.resumedFrom)}` : 'downloaded'}, checksum OK`,
      );
      return {
        name: file.name,
        path,
        outcome: transfer.resumedFrom > 0 ? 'resumed' : 'downloaded',
        bytes: transfer.bytes,
        source: url,
      };
    }
    await rm(part, { force: true });
    if (transfer.resumedFrom > 0 && !restartedAfterMismatch) {
      // The kept .part may have come from a mirror serving another version: start clean once.
      restartedAfterMismatch = true;
      context.event(
        `${file.name}: does not match its pin after resuming; downloading it again from zero in case the kept part was bad`,
      );
      continue;
    }
    throw mismatch(context, file, url, transfer.sha256, transfer.bytes, true);
  }
}

/** One HTTP transfer into `part`, resuming from what it holds when the server honours Range. */
async function transferInto(context: Context, file: DatasetFile, url: string, part: string): Promise<Transfer> {
  const { signal, onProgress } = context.options;
  let offset = (await fileSize(part)) ?? 0;
  let hash = createHash('sha256');
  if (offset > file.bytes) offset = 0; // cannot be a prefix of the pinned file
  if (offset > 0) await hashInto(hash, part, { end: offset, ...(signal && { signal }) });
  if (offset > 0 && offset === file.bytes && hash.copy().digest('hex') === file.sha256.toLowerCase()) {
    return { sha256: file.sha256.toLowerCase(), bytes: offset, resumedFrom: offset }; // finished but never renamed
  }
  if (offset === file.bytes) offset = 0;
  if (offset > 0) context.event(`${file.name}: resuming from ${formatBytes(offset)} kept in ${file.name}.part`);
  const response = await request(url, offset, signal, (why) =>
    context.event(`${file.name}: ${why}; starting again from zero`),
  );
  if (response.offset !== offset) {
    offset = response.offset;
    hash = createHash('sha256');
  }
  const handle = await open(part, offset > 0 ? 'a' : 'w');
  const totalBytes = response.length === null ? file.bytes : offset + response.length;
  const received = await pump(response.body, handle, hash, offset, (bytes, rate) =>
    onProgress?.({ file: file.name, receivedBytes: bytes, totalBytes, bytesPerSecond: rate }),
  );
  if (response.length !== null && received < offset + response.length) {
    throw new TransferInterrupted(
      received,
      `the connection closed ${formatBytes(offset + response.length - received)} early`,
    );
  }
  return { sha256: hash.digest('hex'), bytes: received, resumedFrom: offset };
}

/** Streams chunks into `handle` and `hash`; fsyncs on success. Always closes the handle. */
async function pump(
  chunks: AsyncIterable<Uint8Array>,
  handle: Awaited<ReturnType<typeof open>>,
  hash: Hash,
  offset: number,
  progress: (bytes: number, rate: number) => void,
): Promise<number> {
  const started = performance.now();
  let received = offset;
  try {
    for await (const chunk of chunks) {
      hash.update(chunk);
      await handle.write(chunk);
      received += chunk.length;
      progress(received, (received - offset) / Math.max((performance.now() - started) / 1000, 1e-3));
    }
    await handle.sync();
  } catch (error) {
    throw new TransferInterrupted(received, error instanceof Error ? describe(error) : String(error));
  } finally {
    await handle.close();
  }
  return received;
}

function describe(error: Error): string {
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

async function copyFile(context: Context, file: DatasetFile, source: string, path: string): Promise<FetchedFile> {
  const { signal, onProgress } = context.options;
  const size = await fileSize(source);
  if (size === null) {
    throw new EvoptError('DOWNLOAD_FAILED', `${file.name} is not in ${resolve(source, '..')}.`, {
      fix: `Put the files of ${context.spec.title} (${context.spec.files.map((f) => f.name).join(', ')}) in that directory, or leave out --from to download them.`,
      details: { dataset: context.spec.id, file: file.name, source },
    });
  }
  const part = `${path}.part`;
  const hash = createHash('sha256');
  const bytes = await pump(
    createReadStream(source, signal ? { signal } : {}),
    await open(part, 'w'),
    hash,
    0,
    (received, rate) =>
      onProgress?.({ file: file.name, receivedBytes: received, totalBytes: size, bytesPerSecond: rate }),
  ).catch(async (error: unknown) => {
    await rm(part, { force: true }); // a local copy is cheap to redo: keep nothing
    throw signal?.aborted
      ? aborted(context.spec)
      : error instanceof TransferInterrupted
        ? new EvoptError('DOWNLOAD_FAILED', `Copying ${source} failed: ${error.message}.`, { details: { source } })
        : error;
  });
  const sha256 = hash.digest('hex');
  if (sha256 !== file.sha256.toLowerCase()) {
    await rm(part, { force: true });
    throw mismatch(context, file, source, sha256, bytes, true);
  }
  await commit(part, path);
  context.event(`${file.name}: copied from ${source}, checksum OK`);
  return { name: file.name, path, outcome: 'copied', bytes, source };
}

/** Renames a verified .part into place and makes the rename durable. */
async function commit(part: string, path: string): Promise<void> {
  await rename(part, path);
  try {
    const dir = await open(resolve(path, '..'), 'r');
    await dir.sync().finally(() => dir.close());
  } catch {
    // Directories cannot be opened for fsync on every platform (Windows); the rename stands.
  }
}

function mismatch(
  context: Context,
  file: DatasetFile,
  source: string,
  actual: string,
  bytes: number,
  deleted: boolean,
): EvoptError {
  const { spec } = context;
  const others = spec.mirrors.length > 0 ? ` (${spec.mirrors.join(', ')})` : '';
  return new EvoptError(
    'CHECKSUM_MISMATCH',
    `${file.name} from ${source} does not match its pinned SHA-256:\n  expected ${file.sha256} (${file.bytes} bytes)\n  actual   ${actual} (${bytes} bytes)${deleted ? '\nNothing was kept.' : ''}`,
    {
      fix: `Run \`${fetchCommand(spec.id)}\` again to download it from the official mirrors${others}; if the sums still differ, the source serves another file: fetch it from another mirror with --from <url|dir>.`,
      details: { dataset: spec.id, file: file.name, source, expected: file.sha256, actual, bytes },
    },
  );
}

function aborted(spec: DatasetSpec, part?: string, received?: number): EvoptError {
  const kept = part && received ? ` (${formatBytes(received)} kept in ${part})` : '';
  return new EvoptError('ABORTED', `Fetching ${spec.title} was stopped${kept}.`, {
    fix: `Run \`${fetchCommand(spec.id)}\` again: it resumes where it stopped.`,
    details: { dataset: spec.id, ...(part && { part }) },
  });
}
