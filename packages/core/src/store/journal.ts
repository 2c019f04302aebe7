import { closeSync, fsyncSync, openSync, readSync, statSync } from 'node:fs';
import type { EvoptEvent } from '../events.js';
import { EvoptError } from '../errors.js';
import { writeAll } from './atomic.js';

export interface AppendOptions {
  /** Also fsync, so the record survives a power loss, not just a killed process. Use it for evaluation-finished records. */
  readonly durable?: boolean;
}

/**
 * The run's append-only journal (`events.jsonl`): one JSON event per line. Each append is one
 * synchronous write to a file opened for append, so a process killed right after `append` returns
 * loses nothing it appended; `durable` appends also survive the machine going down.
 */
export class Journal {
  private fd: number | null;

  private constructor(
    /** Path of the journal file. */
    readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /**
   * Opens (creating if needed) the journal for appending. If the previous writer was killed
   * mid-line, the file does not end with '\n'; a '\n' is written first so the next record starts
   * on its own line. The broken line itself stays in the file for `readJournal` to report.
   */
  static open(path: string): Journal {
    const needsNewline = endsMidLine(path);
    const fd = openSync(path, 'a');
    try {
      if (needsNewline) {
        writeAll(fd, Buffer.from('\n'));
        fsyncSync(fd);
      }
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return new Journal(path, fd);
  }

  /** Whether the journal is still open for appending. */
  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** Appends one event as one line. */
  append(event: EvoptEvent, options: AppendOptions = {}): void {
    if (this.fd === null) {
      throw new EvoptError(
        'INTERNAL',
        `Expected an open journal to append a "${event.type}" event, but ${this.path} was already closed.`,
        {
          fix: 'Append only between RunStore.create/open and close(); this is a bug in the caller.',
          details: { path: this.path, type: event.type },
        },
      );
    }
    // JSON.stringify without indentation never emits a raw newline, so one event is one line.
    writeAll(this.fd, Buffer.from(`${JSON.stringify(event)}\n`, 'utf8'));
    if (options.durable) fsyncSync(this.fd);
  }

  /** Flushes to disk and closes. Closing twice is harmless. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

/** True when the file exists, is not empty, and its last byte is not '\n'. */
function endsMidLine(path: string): boolean {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  if (size === 0) return false;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}
