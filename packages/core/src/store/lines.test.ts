import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forEachLineOfFileSync, LineSplitter, type RawLine } from './lines.js';
import { useTempDirs } from './__fixtures__/temp.js';

const temp = useTempDirs();
const text = (lines: readonly RawLine[]): string[] => lines.map((l) => l.bytes.toString('utf8'));

describe('LineSplitter', () => {
  it('holds a partial line until its newline arrives', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(Buffer.from('{"a":1}\n{"b"'))).toMatchObject([{ number: 1, end: 8 }]);
    expect(splitter.hasPartial).toBe(true);
    const done = splitter.push(Buffer.from(':2}\n'));
    expect(text(done)).toEqual(['{"b":2}']);
    expect(done[0]).toMatchObject({ number: 2, end: 16 });
    expect(splitter.hasPartial).toBe(false);
    expect(splitter.flush()).toBeUndefined();
  });

  it('keeps a multi-byte character whole when a chunk boundary cuts it', () => {
    const bytes = Buffer.from('été ✓\nnext\n', 'utf8');
    const splitter = new LineSplitter();
    const lines = [
      ...splitter.push(bytes.subarray(0, 1)),
      ...splitter.push(bytes.subarray(1, 7)),
      ...splitter.push(bytes.subarray(7)),
    ];
    expect(text(lines)).toEqual(['été ✓', 'next']);
  });

  it('flushes an unterminated last line with the next number', () => {
    const splitter = new LineSplitter();
    splitter.push(Buffer.from('one\ntw'));
    expect(splitter.flush()).toMatchObject({ number: 2, end: 6 });
  });
});

describe('forEachLineOfFileSync', () => {
  it('counts every line of a file bigger than one chunk, including an unterminated last one', () => {
    const path = join(temp.make(), 'lines.txt');
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}`);
    writeFileSync(path, lines.join('\n'));
    const seen: string[] = [];
    forEachLineOfFileSync(path, (line) => seen.push(line.bytes.toString('utf8')));
    expect(seen).toEqual(lines);
  });
});
