import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { stableStringify } from '@evopt/core';

/** What makes two ci runs' evaluations interchangeable (genome hashes are in each record's key). */
export interface CiFingerprint {
  readonly evoptVersion: string;
  /** Plugin names, versions and entry hashes: other code may score differently. */
  readonly plugins: readonly { readonly name: string; readonly version: string; readonly entryHash: string }[];
  readonly tasks: readonly { readonly id: string; readonly options: Readonly<Record<string, unknown>> }[];
  readonly steps: number;
  readonly seeds: number;
  readonly seed: number;
  readonly salt: string;
}

/** 12 hex digits of SHA-256 over the fingerprint. */
export function ciFingerprint(fingerprint: CiFingerprint): string {
  return createHash('sha256')
    .update(stableStringify({ ...fingerprint }))
    .digest('hex')
    .slice(0, 12);
}

/**
 * Where a ci run journals its evaluations. A directory given with --work-dir is the user's: only
 * the journal in it is ci's, and its name carries the fingerprint, so a run with other settings
 * never reuses scores it should not.
 */
export interface CiWorkDir {
  readonly dir: string;
  readonly journalPath: string;
  readonly owned: boolean;
}

export function ciWorkDir(options: {
  readonly given?: string;
  readonly cwd: string;
  readonly baseDir: string;
  readonly fingerprint: string;
}): CiWorkDir {
  if (options.given !== undefined) {
    const dir = resolve(options.cwd, options.given);
    return { dir, journalPath: join(dir, `trials-${options.fingerprint}.jsonl`), owned: false };
  }
  const dir = join(options.baseDir, '.evopt', 'ci', options.fingerprint);
  return { dir, journalPath: join(dir, 'trials.jsonl'), owned: true };
}

/** A finished ci run leaves no journal: the next run measures afresh, so changed code is never hidden behind old scores. */
export function clearWorkDir(work: CiWorkDir): void {
  if (!work.owned) {
    rmSync(work.journalPath, { force: true });
    return;
  }
  rmSync(work.dir, { recursive: true, force: true });
  // .evopt/ci, and .evopt, go too when nothing else (another journal, runs) is left in them.
  for (let dir = dirname(work.dir), i = 0; i < 2; dir = dirname(dir), i++) {
    if (!existsSync(dir) || readdirSync(dir).length > 0) break;
    rmSync(dir, { recursive: true, force: true });
  }
}

export function prepareWorkDir(work: CiWorkDir, fresh: boolean): void {
  mkdirSync(work.dir, { recursive: true });
  if (fresh) rmSync(work.journalPath, { force: true });
}
