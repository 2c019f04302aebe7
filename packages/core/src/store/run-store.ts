import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { EvoptError } from '../errors.js';
import { writeJson, writeText, fsyncDirectory } from './atomic.js';
import { readCheckpoint, writeCheckpoint, type CheckpointRead } from './checkpoint.js';
import { Journal } from './journal.js';
import { readJournal, type JournalContents } from './journal-read.js';
import { RunLock } from './lock.js';
import { assertRunId, newRunId, runPaths, type RunPaths } from './paths.js';

export interface CreateRunOptions {
  /** The directory that holds all runs, e.g. `.evopt/runs`; created if missing. */
  readonly runsDir: string;
  /** Defaults to {@link newRunId}. */
  readonly runId?: string;
  /** Written once to config.json: the resolved config, plugin names and versions, the evopt version. */
  readonly config: unknown;
}

/**
 * One run directory, held under its lock while a process works on it. Create a run with
 * {@link RunStore.create}, resume one with {@link RunStore.open}, and {@link RunStore.close} when done.
 */
export class RunStore {
  private closed = false;

  private constructor(
    readonly dir: string,
    readonly paths: RunPaths,
    readonly journal: Journal,
    readonly lock: RunLock,
  ) {}

  /** The run's id: its directory's name. */
  get runId(): string {
    return basename(this.dir);
  }

  /** Makes a new run directory; fails if one with that id exists. */
  static create(options: CreateRunOptions): RunStore {
    const runId = options.runId ?? newRunId();
    assertRunId(runId);
    const runsDir = resolve(options.runsDir);
    mkdirSync(runsDir, { recursive: true });
    const dir = join(runsDir, runId);
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new EvoptError('RUN_EXISTS', `Expected a new run id, but the run directory ${dir} already exists.`, {
        fix: `Resume it with \`evopt resume ${runId}\`, or choose another run id.`,
        details: { runId, dir },
      });
    }
    fsyncDirectory(runsDir);
    const paths = runPaths(dir);
    let lock: RunLock | undefined;
    try {
      lock = RunLock.acquire(dir);
      writeJson(paths.config, options.config);
      return new RunStore(dir, paths, Journal.open(paths.journal), lock);
    } catch (error) {
      // Only our own, just-made directory is removed: nothing of a real run is in it yet.
      lock?.release();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Opens an existing run to resume it: takes its lock and opens its journal for appending. */
  static open(runDir: string): RunStore {
    const dir = resolve(runDir);
    const paths = runPaths(dir);
    if (!isDirectory(dir)) throw notFound(dir, `there is no directory ${dir}`);
    if (!isFile(paths.config)) throw notFound(dir, `${paths.config} is missing, so ${dir} is not a run directory`);
    const lock = RunLock.acquire(dir);
    try {
      readConfigFile(paths.config);
      return new RunStore(dir, paths, Journal.open(paths.journal), lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** config.json as written by {@link RunStore.create}. */
  readConfig(): unknown {
    return readConfigFile(this.paths.config);
  }

  /** Every good journal record so far, plus the lines that could not be read. */
  readEvents(): JournalContents {
    return readJournal(this.paths.journal);
  }

  saveCheckpoint(state: unknown): void {
    writeCheckpoint(this.paths.checkpoint, state);
  }

  /** A corrupt checkpoint is moved aside and reported; see {@link readCheckpoint}. */
  loadCheckpoint(): CheckpointRead {
    return readCheckpoint(this.paths.checkpoint);
  }

  writeBest(value: unknown): void {
    writeJson(this.paths.best, value);
  }

  writeSummary(markdown: string): void {
    writeText(this.paths.summary, markdown);
  }

  /** Closes the journal and releases the lock. Closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.journal.close();
    } finally {
      this.lock.release();
    }
  }
}

/** Reads and parses config.json; a damaged one is RUN_CORRUPT. */
export function readConfigFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new EvoptError('RUN_CORRUPT', `Expected ${path} to hold the run's config as JSON, but it does not parse.`, {
      fix: 'Restore config.json from a backup, or start a new run; evopt writes it once and never changes it.',
      details: { path },
      cause: error,
    });
  }
}

function notFound(dir: string, why: string): EvoptError {
  return new EvoptError('RUN_NOT_FOUND', `Expected a run directory at ${dir}, but ${why}.`, {
    fix: '`evopt runs` lists the runs there are; pass one of their ids.',
    details: { dir },
  });
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}
