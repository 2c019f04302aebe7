import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { captureWrites } from './capture.js';

describe('captureWrites', () => {
  it('turns writes into clean lines, calls write callbacks, and restores the stream', () => {
    const written: string[] = [];
    const stream = new Writable({
      write: (chunk: Buffer, _e, done) => (written.push(chunk.toString()), done()),
    }) as unknown as NodeJS.WriteStream;
    const original = stream.write;
    const lines: string[] = [];
    const restore = captureWrites(stream, (line) => lines.push(line));
    let called = false;
    stream.write('\u001B[33mwarning:\u001B[39m first\nsecond ', () => (called = true));
    stream.write(Buffer.from('half\n\n'));
    stream.write('unterminated');
    expect(lines).toEqual(['warning: first', 'second half']);
    expect(called).toBe(true);
    restore();
    expect(lines).toEqual(['warning: first', 'second half', 'unterminated']);
    expect(stream.write).toBe(original);
    expect(written).toEqual([]);
  });
});
