import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { EvoptError } from '../errors.js';
import { LOCK_FILE } from './lock.js';

/** Where each file of a run directory lives (see DESIGN.md, "Run directory"). */
export interface RunPaths {
  readonly dir: string;
  readonly config: string;
  readonly journal: string;
  readonly checkpoint: string;
  readonly best: string;
  readonly summary: string;
  readonly lock: string;
}

/** The paths of the files in a run directory. */
export function runPaths(dir: string): RunPaths {
  return {
    dir,
    config: join(dir, 'config.json'),
    journal: join(dir, 'events.jsonl'),
    checkpoint: join(dir, 'checkpoint.json'),
    best: join(dir, 'best.json'),
    summary: join(dir, 'summary.md'),
    lock: join(dir, LOCK_FILE),
  };
}

/**
 * A new run id: the UTC start time plus 4 random hex characters, e.g. `2026-11-29T01-02-03-ab12`.
 * Ids sort by start time and are safe as directory names everywhere. The suffix comes from
 * node:crypto; only the GA has to be seeded, not names.
 */
export function newRunId(now: Date = new Date()): string {
  const time = now.toISOString().slice(0, 19).replace(/:/g, '-');
  return `${time}-${randomBytes(2).toString('hex')}`;
}

const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Throws CONFIG_INVALID unless `runId` can be a single directory name. */
export function assertRunId(runId: string): void {
  if (RUN_ID_PATTERN.test(runId)) return;
  throw new EvoptError(
    'CONFIG_INVALID',
    `Expected a run id of letters, digits, '.', '_' and '-' (starting with a letter or digit, at most 128), got ${JSON.stringify(runId)}.`,
    {
      fix: 'Choose a run id such as "adam-sweep-1", or leave it out to get a generated one.',
      details: { runId },
    },
  );
}
