import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvoptEvent } from '../events.js';
import { Journal } from './journal.js';
import type { JournalProblem } from './journal-read.js';
import { tailJournal } from './journal-tail.js';
import { warning } from './__fixtures__/events.js';
import { useTempDirs } from './__fixtures__/temp.js';

const temp = useTempDirs();
const messages = (events: readonly EvoptEvent[]): string[] =>
  events.map((e) => (e.type === 'warning' ? e.message : e.type));
const line = (message: string): string => `${JSON.stringify(warning(message))}\n`;

async function until(check: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 5000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('tailJournal', () => {
  it('delivers records appended while following, and resolves when aborted', async () => {
    const path = join(temp.make(), 'events.jsonl');
    writeFileSync(path, line('old'));
    const seen: EvoptEvent[] = [];
    const controller = new AbortController();
    const done = tailJournal(path, (e) => seen.push(e), { signal: controller.signal, intervalMs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const journal = Journal.open(path);
    journal.append(warning('new 1'));
    journal.append(warning('new 2'));
    await until(() => seen.length === 2, 'two events');
    controller.abort();
    await done;
    journal.close();
    expect(messages(seen)).toEqual(['new 1', 'new 2']);
  });

  it('starts from the first record with fromStart, and holds a partial line until it is complete', async () => {
    const path = join(temp.make(), 'events.jsonl');
    const full = line('second');
    writeFileSync(path, line('first') + full.slice(0, 20));
    const seen: EvoptEvent[] = [];
    const controller = new AbortController();
    const done = tailJournal(path, (e) => seen.push(e), { signal: controller.signal, fromStart: true, intervalMs: 10 });
    await until(() => seen.length === 1, 'the first event');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(messages(seen)).toEqual(['first']);
    appendFileSync(path, full.slice(20));
    await until(() => seen.length === 2, 'the completed event');
    controller.abort();
    await done;
    expect(messages(seen)).toEqual(['first', 'second']);
  });

  it('waits for a journal that does not exist yet, and reports bad lines by number', async () => {
    const path = join(temp.make(), 'events.jsonl');
    const seen: EvoptEvent[] = [];
    const problems: JournalProblem[] = [];
    const controller = new AbortController();
    const done = tailJournal(path, (e) => seen.push(e), {
      signal: controller.signal,
      intervalMs: 10,
      onProblem: (p) => problems.push(p),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeFileSync(path, `${line('a')}{"type":"broken\n${line('b')}`);
    await until(() => seen.length === 2, 'two events');
    controller.abort();
    await done;
    expect(messages(seen)).toEqual(['a', 'b']);
    expect(problems).toMatchObject([{ line: 2, excerpt: '{"type":"broken' }]);
  });

  it('rejects when the listener throws', async () => {
    const path = join(temp.make(), 'events.jsonl');
    writeFileSync(path, line('a'));
    const boom = new Error('listener broke');
    await expect(
      tailJournal(
        path,
        () => {
          throw boom;
        },
        { fromStart: true, intervalMs: 10 },
      ),
    ).rejects.toBe(boom);
  });
});
