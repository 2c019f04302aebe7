import { stripVTControlCharacters } from 'node:util';

/**
 * Sends what is written to `stream` (process.stderr: the command's messages, warnings, worker
 * output) to `onLine`, a line at a time, instead of the terminal the TUI owns. Returns the function
 * that puts the stream back; a last unterminated line goes to `onLine` then.
 */
export function captureWrites(stream: NodeJS.WriteStream, onLine: (line: string) => void): () => void {
  const original = stream.write;
  let partial = '';
  const take = (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const clean = stripVTControlCharacters(line).trimEnd();
      if (clean !== '') onLine(clean);
    }
  };
  stream.write = ((
    chunk: string | Uint8Array,
    encoding?: BufferEncoding | ((error?: Error | null) => void),
    callback?: (error?: Error | null) => void,
  ): boolean => {
    take(
      typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8'),
    );
    const done = typeof encoding === 'function' ? encoding : callback;
    done?.();
    return true;
  }) as typeof stream.write;
  return () => {
    stream.write = original;
    take('\n');
  };
}
