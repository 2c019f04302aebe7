// One HTTP request for a dataset file, with Range when part of it is already on disk. Servers
// that ignore or refuse the range are handled by starting again from zero; what the caller gets
// says where the body starts.

/** A source that could not serve the file at all (network error, HTTP error): try the next mirror. */
export class SourceUnavailable extends Error {
  override readonly name = 'SourceUnavailable';
}

/** A transfer cut off mid-way; the .part keeps `received` bytes for the next attempt. */
export class TransferInterrupted extends Error {
  override readonly name = 'TransferInterrupted';
  constructor(
    readonly received: number,
    message: string,
  ) {
    super(message);
  }
}

/** A finished transfer: the hash and size of the whole .part, and where this run started writing. */
export interface Transfer {
  readonly sha256: string;
  readonly bytes: number;
  readonly resumedFrom: number;
}

export interface FileResponse {
  readonly body: AsyncIterable<Uint8Array>;
  /** The byte of the file the body starts at: the requested offset, or 0 after a restart. */
  readonly offset: number;
  /** Bytes in the body, when the server said. */
  readonly length: number | null;
}

const CONTENT_RANGE = /^bytes (\d+)-(\d+)\/(\d+|\*)$/;

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

function lengthOf(response: Response): number | null {
  const header = response.headers.get('content-length');
  return header !== null && /^\d+$/.test(header) ? Number(header) : null;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

/**
 * GETs `url`, asking for the bytes from `offset` on when it is above zero. A 206 whose
 * Content-Range starts at `offset` continues the file; a 200, a 416 or any other range restarts
 * from zero (`onRestart` says why).
 *
 * @throws SourceUnavailable on a network error or an HTTP error status.
 */
export async function request(
  url: string,
  offset: number,
  signal: AbortSignal | undefined,
  onRestart: (why: string) => void,
): Promise<FileResponse> {
  // identity: a transparently compressed body would make byte ranges meaningless.
  const headers: Record<string, string> = {
    'accept-encoding': 'identity',
    ...(offset > 0 && { range: `bytes=${offset}-` }),
  };
  let response: Response;
  try {
    response = await fetch(url, { headers, redirect: 'follow', ...(signal && { signal }) });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new SourceUnavailable(errorText(error));
  }
  if (offset > 0 && (response.status === 206 || response.status === 416)) {
    const range = CONTENT_RANGE.exec(response.headers.get('content-range') ?? '');
    if (response.status === 206 && range && Number(range[1]) === offset) {
      return { body: bodyOf(response), offset, length: lengthOf(response) ?? Number(range[2]) - offset + 1 };
    }
    await discard(response);
    onRestart(
      response.status === 416
        ? 'the server refused the range request (HTTP 416)'
        : `the server sent another range (${response.headers.get('content-range') ?? 'no Content-Range'})`,
    );
    return request(url, 0, signal, onRestart);
  }
  if (response.status !== 200) {
    await discard(response);
    throw new SourceUnavailable(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  if (offset > 0) onRestart('the server ignored the range request');
  return { body: bodyOf(response), offset: 0, length: lengthOf(response) };
}

async function* bodyOf(response: Response): AsyncIterable<Uint8Array> {
  if (response.body === null) return;
  const reader = response.body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    // A consumer that stops early (a failed write) must not leave the connection open.
    if (!finished) await reader.cancel().catch(() => {});
  }
}
