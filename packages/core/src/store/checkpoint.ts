import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { toJsonText, writeFileAtomic } from './atomic.js';

/** The format tag of checkpoint.json; a file with any other tag is not trusted. */
export const CHECKPOINT_SCHEMA = 'evopt.checkpoint/1';

/** checkpoint.json as stored. */
export interface CheckpointFile {
  readonly schema: typeof CHECKPOINT_SCHEMA;
  /** ISO timestamp. */
  readonly savedAt: string;
  /** sha256 (hex) of `JSON.stringify(state)`, so a damaged file is detected rather than resumed from. */
  readonly sha256: string;
  readonly state: unknown;
}

/** What {@link readCheckpoint} found. */
export type CheckpointRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly state: unknown; readonly savedAt: string }
  /** The bad file was moved aside to `keptAs` (never deleted) so a fresh checkpoint can be written. */
  | { readonly kind: 'corrupt'; readonly reason: string; readonly keptAs: string };

/**
 * Saves engine state atomically (temp file, fsync, rename, fsync the directory): after a crash
 * the checkpoint is either the previous one or this one, whole. `state` is whatever JSON the
 * engine defines.
 */
export function writeCheckpoint(path: string, state: unknown, now: Date = new Date()): void {
  const stateText = toJsonText(state, path);
  const file: CheckpointFile = {
    schema: CHECKPOINT_SCHEMA,
    savedAt: now.toISOString(),
    sha256: sha256(stateText),
    state,
  };
  writeFileAtomic(path, `${JSON.stringify(file)}\n`);
}

/**
 * Reads checkpoint.json. A truncated, unparsable, wrongly tagged or checksum-failing file is
 * renamed to `checkpoint.json.corrupt-<timestamp>` and reported as `corrupt`, so the caller can
 * warn and fall back to replaying the journal.
 */
export function readCheckpoint(path: string, now: Date = new Date()): CheckpointRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  const checked = check(text);
  if (checked.ok) return { kind: 'ok', state: checked.state, savedAt: checked.savedAt };
  return { kind: 'corrupt', reason: checked.reason, keptAs: keepAside(path, now) };
}

type Checked = { ok: true; state: unknown; savedAt: string } | { ok: false; reason: string };

function check(text: string): Checked {
  if (text.trim() === '') return { ok: false, reason: 'the file is empty (the write was cut short)' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `not valid JSON, probably truncated (${why})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, reason: 'expected a JSON object' };
  }
  const file = value as Partial<Record<keyof CheckpointFile, unknown>>;
  if (file.schema !== CHECKPOINT_SCHEMA) {
    return {
      ok: false,
      reason: `expected schema "${CHECKPOINT_SCHEMA}", found ${JSON.stringify(file.schema) ?? 'none'}`,
    };
  }
  if (typeof file.savedAt !== 'string' || typeof file.sha256 !== 'string' || !('state' in file)) {
    return { ok: false, reason: 'expected the fields savedAt, sha256 and state' };
  }
  const actual = sha256(JSON.stringify(file.state));
  if (actual !== file.sha256) {
    return {
      ok: false,
      reason: `checksum mismatch: the file says sha256 ${file.sha256}, its state hashes to ${actual}`,
    };
  }
  return { ok: true, state: file.state, savedAt: file.savedAt };
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Renames the bad file to a name that does not exist yet and returns that name. */
function keepAside(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.corrupt-${stamp}`;
  for (let n = 1; existsSync(target); n++) target = `${path}.corrupt-${stamp}-${n}`;
  renameSync(path, target);
  return target;
}
