import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { forEachLineOfFileSync } from './lines.js';
import { parseJournalLine } from './journal-read.js';
import { isPidAlive, type LockOwner } from './lock.js';
import { parseLockOwner } from './lock-owner.js';
import { runPaths } from './paths.js';

/**
 * - running: a live process holds its lock (or a process on another host does; that cannot be checked).
 * - finished / failed / stopped: the journal's last run-started was followed by that ending.
 * - incomplete: no ending after the last start, and nobody holds the lock: crashed or killed; resumable.
 */
export type RunStatus = 'running' | 'finished' | 'failed' | 'stopped' | 'incomplete';

/** One line of `evopt runs`. */
export interface RunSummary {
  readonly runId: string;
  readonly dir: string;
  readonly status: RunStatus;
  /** The last finished generation, or null before the first one. */
  readonly generation: number | null;
  /** Generations the run was configured for, when known. */
  readonly generations: number | null;
  /** The best fitness journaled so far. */
  readonly bestFitness: number | null;
  /** ISO time of the first run-started, else when config.json was written. */
  readonly startedAt: string;
  readonly preset: string | null;
  /** Who holds run.lock, when status is 'running'. */
  readonly lockedBy?: LockOwner;
}

// Only these records matter here; lines without these bytes are skipped unparsed, which keeps
// listing fast on journals full of evaluation records.
const INTERESTING = [Buffer.from('"type":"run-'), Buffer.from('"type":"generation-finished"')];

/** Summarises every run under `runsDir`, newest first. A missing `runsDir` has no runs. */
export function listRuns(runsDir: string): RunSummary[] {
  let entries;
  try {
    entries = readdirSync(runsDir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const runs: RunSummary[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const paths = runPaths(join(runsDir, entry.name));
    if (!existsSync(paths.config) && !existsSync(paths.journal)) continue;
    runs.push(summarizeRun(paths.dir, entry.name));
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId));
}

/** Summarises one run directory from its config, journal and lock. Bad journal lines are skipped. */
export function summarizeRun(dir: string, runId: string): RunSummary {
  const paths = runPaths(dir);
  const config = readConfigQuietly(paths.config);
  let startedAt: string | null = null;
  let ending: RunStatus = 'incomplete';
  let generation: number | null = null;
  let generations = numberAt(config, GENERATIONS_PATHS);
  let preset = stringAt(config, PRESET_PATHS);
  let bestFitness: number | null = null;
  const noteBest = (fitness: unknown): void => {
    if (typeof fitness === 'number' && Number.isFinite(fitness) && (bestFitness === null || fitness > bestFitness))
      bestFitness = fitness;
  };
  if (existsSync(paths.journal)) {
    forEachLineOfFileSync(paths.journal, (line) => {
      if (!INTERESTING.some((needle) => line.bytes.includes(needle))) return;
      const parsed = parseJournalLine(line);
      if (parsed.kind !== 'event') return;
      const event = parsed.event;
      switch (event.type) {
        case 'run-started':
          startedAt ??= event.time;
          ending = 'incomplete';
          generations = event.generations;
          preset = event.preset;
          break;
        case 'generation-finished':
          generation = event.generation;
          noteBest(event.best?.fitness);
          break;
        case 'run-finished':
          ending = 'finished';
          noteBest(event.best?.fitness);
          break;
        case 'run-failed':
          ending = 'failed';
          break;
        case 'run-stopped':
          ending = 'stopped';
          break;
      }
    });
  }
  const lockedBy = liveLockOwner(paths.lock);
  return {
    runId,
    dir,
    status: lockedBy ? 'running' : ending,
    generation,
    generations,
    bestFitness,
    startedAt: startedAt ?? fallbackStart(paths.config, dir),
    preset,
    ...(lockedBy ? { lockedBy } : {}),
  };
}

function liveLockOwner(path: string): LockOwner | undefined {
  let owner: LockOwner | undefined;
  try {
    owner = parseLockOwner(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
  if (!owner) return undefined;
  return owner.hostname !== hostname() || isPidAlive(owner.pid) ? owner : undefined;
}

function readConfigQuietly(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

// Where config.json may hold these, for runs whose journal has no run-started yet: the CLI saves
// the resolved config under `config`, where generations sit under `ga`.
const PRESET_PATHS = [['config', 'preset'], ['preset']];
const GENERATIONS_PATHS = [['config', 'ga', 'generations'], ['ga', 'generations'], ['generations']];

function pick(config: unknown, paths: readonly (readonly string[])[]): unknown {
  for (const path of paths) {
    let value: unknown = config;
    for (const key of path)
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    if (value !== undefined) return value;
  }
  return undefined;
}

function numberAt(config: unknown, paths: readonly (readonly string[])[]): number | null {
  const value = pick(config, paths);
  return typeof value === 'number' ? value : null;
}

function stringAt(config: unknown, paths: readonly (readonly string[])[]): string | null {
  const value = pick(config, paths);
  return typeof value === 'string' ? value : null;
}

function fallbackStart(configPath: string, dir: string): string {
  const stat = statSync(configPath, { throwIfNoEntry: false }) ?? statSync(dir);
  return stat.mtime.toISOString();
}
