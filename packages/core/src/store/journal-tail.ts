import { open, type FileHandle } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EvoptEvent } from '../events.js';
import { LineSplitter } from './lines.js';
import { parseJournalLine, type JournalProblem } from './journal-read.js';

export interface TailOptions {
  /** Stops following; the returned promise then resolves. */
  readonly signal?: AbortSignal;
  /** Deliver the records already in the file first. Default false: only what is appended from now on. */
  readonly fromStart?: boolean;
  /** How often to look for new bytes. Default 100 ms. */
  readonly intervalMs?: number;
  /** Called for each bad line instead of an event; bad lines are skipped either way. */
  readonly onProblem?: (problem: JournalProblem) => void;
}

const DEFAULT_INTERVAL_MS = 100;
const CHUNK_SIZE = 1 << 16;

/**
 * Follows a growing journal (`evopt watch`), calling `onEvent` for every record as its line is
 * completed. A partial last line is held until its '\n' arrives, so a record being written is
 * never read half-way. The file may not exist yet; it is waited for. Resolves when `signal`
 * aborts; rejects if reading fails or `onEvent` throws.
 */
export async function tailJournal(
  path: string,
  onEvent: (event: EvoptEvent) => void,
  options: TailOptions = {},
): Promise<void> {
  const { signal, fromStart = false, intervalMs = DEFAULT_INTERVAL_MS, onProblem } = options;
  let handle: FileHandle | undefined;
  try {
    let splitter = new LineSplitter();
    // Lines ending at or before this offset were there when we started: counted, not delivered.
    let deliverAfter = 0;
    const buffer = Buffer.allocUnsafe(CHUNK_SIZE);
    let firstLook = true;
    while (!signal?.aborted) {
      if (!handle) {
        handle = await openIfExists(path);
        // A journal that appears after we started is new from its first byte.
        if (handle && firstLook && !fromStart) deliverAfter = (await handle.stat()).size;
        firstLook = false;
      }
      if (handle) {
        const { size } = await handle.stat();
        if (size < splitter.position) {
          // The file was truncated or replaced in place: journals never shrink, so start over.
          splitter = new LineSplitter();
          deliverAfter = 0;
        }
        let read: number;
        do {
          ({ bytesRead: read } = await handle.read(buffer, 0, CHUNK_SIZE, splitter.position));
          for (const line of splitter.push(buffer.subarray(0, read))) {
            if (line.end <= deliverAfter) continue;
            const parsed = parseJournalLine(line);
            if (parsed.kind === 'event') onEvent(parsed.event);
            else if (parsed.kind === 'problem') onProblem?.(parsed.problem);
            if (signal?.aborted) return;
          }
        } while (read === CHUNK_SIZE);
      }
      await pause(intervalMs, signal);
    }
  } finally {
    await handle?.close();
  }
}

async function openIfExists(path: string): Promise<FileHandle | undefined> {
  try {
    return await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, signal ? { signal } : {});
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
}
