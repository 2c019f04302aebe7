import { closeSync, openSync, readSync } from 'node:fs';

/** One complete line of a journal, without its '\n'. */
export interface RawLine {
  /** 1-based line number in the file. */
  readonly number: number;
  readonly bytes: Buffer;
  /** Byte offset just past this line's '\n' (or end of file for an unterminated last line). */
  readonly end: number;
}

/**
 * Splits a byte stream into lines, buffering a partial last line until its '\n' arrives. It splits
 * on bytes, not decoded text, so a multi-byte character cut by a chunk boundary stays whole.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingLength = 0;
  private lineNumber = 0;
  private offset: number;

  constructor(startOffset = 0) {
    this.offset = startOffset;
  }

  /** Byte offset just past the last byte fed. */
  get position(): number {
    return this.offset;
  }

  /** Whether a partial line is waiting for its '\n'. */
  get hasPartial(): boolean {
    return this.pendingLength > 0;
  }

  /** Feeds a chunk and returns the lines it completed. */
  push(chunk: Buffer): RawLine[] {
    const lines: RawLine[] = [];
    let start = 0;
    for (let newline = chunk.indexOf(0x0a); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      const piece = chunk.subarray(start, newline);
      const bytes = this.pendingLength > 0 ? Buffer.concat([...this.pending, piece]) : Buffer.from(piece);
      this.pending = [];
      this.pendingLength = 0;
      lines.push({ number: ++this.lineNumber, bytes, end: this.offset + newline + 1 });
      start = newline + 1;
    }
    if (start < chunk.length) {
      // Copy: the caller may reuse its read buffer.
      this.pending.push(Buffer.from(chunk.subarray(start)));
      this.pendingLength += chunk.length - start;
    }
    this.offset += chunk.length;
    return lines;
  }

  /** Returns the unterminated last line, if any: a file read to its end still counts it. */
  flush(): RawLine | undefined {
    if (this.pendingLength === 0) return undefined;
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingLength = 0;
    return { number: ++this.lineNumber, bytes, end: this.offset };
  }
}

const CHUNK_SIZE = 1 << 16;

/**
 * Calls `onLine` for every line of the file at `fd`, reading in chunks so that a large journal is
 * never held in memory as one string. The last line counts even without a '\n'.
 */
export function forEachLineSync(fd: number, onLine: (line: RawLine) => void): void {
  const splitter = new LineSplitter();
  const buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  for (;;) {
    const read = readSync(fd, buffer, 0, CHUNK_SIZE, splitter.position);
    if (read === 0) break;
    for (const line of splitter.push(buffer.subarray(0, read))) onLine(line);
  }
  const last = splitter.flush();
  if (last) onLine(last);
}

/** {@link forEachLineSync} on a path. */
export function forEachLineOfFileSync(path: string, onLine: (line: RawLine) => void): void {
  const fd = openSync(path, 'r');
  try {
    forEachLineSync(fd, onLine);
  } finally {
    closeSync(fd);
  }
}
