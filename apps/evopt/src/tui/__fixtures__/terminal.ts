// A terminal for tests: an output stream with a size that can change, and a keyboard.
import { EventEmitter } from 'node:events';
import { stripVTControlCharacters } from 'node:util';
import { columns } from '../../format/width.js';

export class FakeStdout extends EventEmitter {
  readonly frames: string[] = [];
  isTTY = true;

  constructor(
    public columns = 80,
    public rows = 40,
  ) {
    super();
  }

  write = (frame: string): boolean => {
    this.frames.push(frame);
    return true;
  };

  /** The last frame without colours. */
  lastFrame(): string {
    return stripVTControlCharacters(this.frames.at(-1) ?? '');
  }

  resize(columns: number, rows = this.rows): void {
    this.columns = columns;
    this.rows = rows;
    this.emit('resize');
  }
}

export class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;

  /** Types `keys` as the terminal would send them. */
  write(keys: string): void {
    this.data = keys;
    this.emit('readable');
    this.emit('data', keys);
  }

  read = (): string | null => {
    const { data } = this;
    this.data = null;
    return data;
  };

  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

export const KEYS = { up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B', backspace: '\u007F' } as const;

export function asStreams(
  stdout: FakeStdout,
  stdin: FakeStdin,
): { stdout: NodeJS.WriteStream; stdin: NodeJS.ReadStream } {
  return { stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream };
}

/** Waits until `predicate` holds, checking every few milliseconds; fails after `timeoutMs`. */
export async function until(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets Ink read the keys and React render the result. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** The widest line of a frame, in terminal columns. */
export const widest = (frame: string): number => Math.max(0, ...frame.split('\n').map(columns));
