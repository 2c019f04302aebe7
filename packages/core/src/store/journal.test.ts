import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isEvoptError } from '../errors.js';
import { Journal } from './journal.js';
import { readJournal } from './journal-read.js';
import { generationFinished, runStarted, warning } from './__fixtures__/events.js';
import { runFixture } from './__fixtures__/spawn.js';
import { useTempDirs } from './__fixtures__/temp.js';

const temp = useTempDirs();

describe('Journal and readJournal', () => {
  it('reads back what was appended, in order, one line per event', () => {
    const path = join(temp.make(), 'events.jsonl');
    const journal = Journal.open(path);
    const events = [runStarted('r1'), warning('résumé ✓ — "quoted"\nnewline'), generationFinished(0, 0.5)];
    journal.append(events[0]!);
    journal.append(events[1]!, { durable: true });
    journal.append(events[2]!);
    journal.close();
    expect(readJournal(path)).toEqual({ events, problems: [] });
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
  });

  it('keeps appending to an existing journal after reopening', () => {
    const path = join(temp.make(), 'events.jsonl');
    const first = Journal.open(path);
    first.append(warning('one'));
    first.close();
    const second = Journal.open(path);
    second.append(warning('two'));
    second.close();
    expect(readJournal(path).events.map((e) => (e.type === 'warning' ? e.message : ''))).toEqual(['one', 'two']);
  });

  it('reports a truncated last line by number, and a reopened journal keeps it but starts a fresh line', () => {
    const path = join(temp.make(), 'events.jsonl');
    const good = `${JSON.stringify(warning('a'))}\n${JSON.stringify(warning('b'))}\n`;
    writeFileSync(path, `${good}{"type":"evaluation-finished","record":{"hash":"ab`);

    const before = readJournal(path);
    expect(before.events).toHaveLength(2);
    expect(before.problems).toHaveLength(1);
    expect(before.problems[0]).toMatchObject({
      line: 3,
      excerpt: '{"type":"evaluation-finished","record":{"hash":"ab',
    });
    expect(before.problems[0]!.reason).toMatch(/not valid JSON/);

    const journal = Journal.open(path);
    journal.append(warning('c'));
    journal.close();
    const text = readFileSync(path, 'utf8');
    expect(text).toContain('{"type":"evaluation-finished","record":{"hash":"ab\n');
    const after = readJournal(path);
    expect(after.events.map((e) => (e.type === 'warning' ? e.message : ''))).toEqual(['a', 'b', 'c']);
    expect(after.problems.map((p) => p.line)).toEqual([3]);
  });

  it('skips garbage in the middle and resumes at the next good record', () => {
    const path = join(temp.make(), 'events.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify(warning('a')),
        'garbage \u0000 here',
        '[1,2]',
        '{"no":"type"}',
        '',
        JSON.stringify(warning('b')),
        '',
      ].join('\n'),
    );
    const { events, problems } = readJournal(path);
    expect(events.map((e) => (e.type === 'warning' ? e.message : ''))).toEqual(['a', 'b']);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(problems[1]!.reason).toMatch(/expected a JSON object, found an array/);
    expect(problems[2]!.reason).toMatch(/string "type"/);
  });

  it('reads a journal that does not exist yet as empty', () => {
    expect(readJournal(join(temp.make(), 'nope.jsonl'))).toEqual({ events: [], problems: [] });
  });

  it('reads records larger than one read chunk', () => {
    const path = join(temp.make(), 'events.jsonl');
    const journal = Journal.open(path);
    const big = warning('x'.repeat(200_000));
    journal.append(big);
    journal.append(warning('after'));
    journal.close();
    expect(readJournal(path).events).toEqual([big, warning('after')]);
  });

  it('refuses to append after close, saying why', () => {
    const journal = Journal.open(join(temp.make(), 'events.jsonl'));
    journal.close();
    journal.close();
    expect(journal.isOpen).toBe(false);
    let caught: unknown;
    try {
      journal.append(warning('late'));
    } catch (error) {
      caught = error;
    }
    expect(isEvoptError(caught, 'INTERNAL')).toBe(true);
    expect((caught as Error).message).toMatch(/already closed/);
  });

  it('loses no appended event when the process is SIGKILLed right after appending', () => {
    const path = join(temp.make(), 'events.jsonl');
    appendFileSync(path, `${JSON.stringify(warning('before'))}\n`);
    const child = runFixture('crash-child.ts', [path, '500']);
    expect(child.stderr).toBe('');
    expect(child.signal).toBe('SIGKILL');
    const { events, problems } = readJournal(path);
    expect(problems).toEqual([]);
    expect(events).toHaveLength(501);
    expect(events.at(-1)).toMatchObject({ type: 'warning', message: 'event 499' });
  }, 30_000);
});
