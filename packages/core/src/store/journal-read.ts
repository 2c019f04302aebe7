import type { EvoptEvent } from '../events.js';
import { forEachLineOfFileSync, type RawLine } from './lines.js';

/** A journal line that could not be read; it is skipped and reading goes on after it. */
export interface JournalProblem {
  /** 1-based line number in events.jsonl. */
  readonly line: number;
  readonly reason: string;
  /** The start of the line as found, for the user to recognise it. */
  readonly excerpt: string;
}

export interface JournalContents {
  /** Every good record, in order. */
  readonly events: EvoptEvent[];
  /** Every bad line, in order; empty for a healthy journal. */
  readonly problems: JournalProblem[];
}

const EXCERPT_LENGTH = 120;

export type ParsedLine =
  | { readonly kind: 'event'; readonly event: EvoptEvent }
  | { readonly kind: 'problem'; readonly problem: JournalProblem }
  | { readonly kind: 'blank' };

/**
 * Reads one journal line. Only the shape every record shares is checked (an object with a string
 * `type`): evopt wrote the rest, and a newer evopt may add event types an older reader skips.
 */
export function parseJournalLine(line: RawLine): ParsedLine {
  const text = line.bytes.toString('utf8');
  if (text.trim() === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return problem(line.number, `not valid JSON (${why}); a process killed mid-write leaves such a line`, text);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem(
      line.number,
      `expected a JSON object, found ${Array.isArray(value) ? 'an array' : typeof value}`,
      text,
    );
  }
  if (typeof (value as { type?: unknown }).type !== 'string') {
    return problem(line.number, 'expected an event with a string "type" field', text);
  }
  return { kind: 'event', event: value as EvoptEvent };
}

function problem(line: number, reason: string, text: string): ParsedLine {
  const excerpt = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
  return { kind: 'problem', problem: { line, reason, excerpt } };
}

/**
 * Reads a whole journal. A bad line (truncated by a crash, or garbage) becomes a
 * {@link JournalProblem} and reading resumes at the next line, so one broken record never hides
 * the good ones after it. A journal that does not exist yet reads as empty.
 */
export function readJournal(path: string): JournalContents {
  const events: EvoptEvent[] = [];
  const problems: JournalProblem[] = [];
  try {
    forEachLineOfFileSync(path, (line) => {
      const parsed = parseJournalLine(line);
      if (parsed.kind === 'event') events.push(parsed.event);
      else if (parsed.kind === 'problem') problems.push(parsed.problem);
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return { events, problems };
}
