import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { CHECKPOINT_SCHEMA, EvoptError, readJournal, runPaths, summarizeRun } from '@evopt/core';
import { parseSavedRunConfig, type SavedRunConfig } from '../commands/run-config.js';
import type { BestFile, CheckpointSummary, ReportData } from './data.js';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

function readConfig(path: string, problems: string[]): SavedRunConfig | null {
  if (!existsSync(path)) {
    problems.push('config.json is missing: the header shows what the journal says.');
    return null;
  }
  try {
    return parseSavedRunConfig(readJson(path), path);
  } catch (error) {
    problems.push(`config.json could not be used: ${messageOf(error)}`);
    return null;
  }
}

function readBest(path: string, problems: string[]): BestFile | null {
  if (!existsSync(path)) return null;
  try {
    const best = readJson(path) as Partial<BestFile> | null;
    if (!best || typeof best.hash !== 'string' || typeof best.fitness !== 'number' || typeof best.genome !== 'object')
      throw new Error('expected { hash, fitness, genome, formula, perTask }');
    return { formula: '', perTask: {}, ...best } as BestFile;
  } catch (error) {
    problems.push(`best.json could not be used: ${messageOf(error)}`);
    return null;
  }
}

/**
 * checkpoint.json, checked like `evopt resume` checks it but left where it is: a report never
 * moves a run's files aside.
 */
function readCheckpointSummary(path: string, problems: string[]): CheckpointSummary | null {
  if (!existsSync(path)) return null;
  try {
    const file = readJson(path) as {
      schema?: unknown;
      savedAt?: unknown;
      sha256?: unknown;
      state?: Partial<CheckpointSummary>;
    };
    if (file.schema !== CHECKPOINT_SCHEMA || typeof file.state !== 'object' || file.state === null)
      throw new Error(`expected schema "${CHECKPOINT_SCHEMA}" with a state`);
    if (createHash('sha256').update(JSON.stringify(file.state)).digest('hex') !== file.sha256)
      throw new Error('checksum mismatch');
    const { history, baselines, best } = file.state;
    return {
      savedAt: String(file.savedAt),
      history: Array.isArray(history) ? history : [],
      baselines: baselines ?? {},
      best: best ?? null,
    };
  } catch (error) {
    problems.push(`checkpoint.json was not used: ${messageOf(error)}`);
    return null;
  }
}

function notFound(runDir: string, why: string): EvoptError {
  return new EvoptError('RUN_NOT_FOUND', `${why}: ${runDir}.`, {
    fix: 'Pass a run directory or a run id; `evopt runs` lists the runs in the configured runs directory.',
    details: { runDir },
  });
}

/** Reads what a report needs from a run directory. Nothing in it is written or moved. */
export function loadReportData(runDir: string, now: Date = new Date()): ReportData {
  if (!existsSync(runDir) || !statSync(runDir).isDirectory()) throw notFound(runDir, 'No run directory');
  const paths = runPaths(runDir);
  if (!existsSync(paths.config) && !existsSync(paths.journal))
    throw notFound(runDir, 'Not a run directory (no config.json or events.jsonl)');
  const problems: string[] = [];
  const { events, problems: skippedLines } = readJournal(paths.journal);
  if (!existsSync(paths.journal)) problems.push('events.jsonl is missing: the run has journaled nothing yet.');
  const summary = summarizeRun(runDir, basename(runDir));
  const started = events.find((e) => e.type === 'run-started');
  return {
    runId: started?.type === 'run-started' ? started.runId : basename(runDir),
    runDir,
    status: summary.status,
    ...(summary.lockedBy && { lockedBy: summary.lockedBy }),
    config: readConfig(paths.config, problems),
    events,
    skippedLines,
    best: readBest(paths.best, problems),
    checkpoint: readCheckpointSummary(paths.checkpoint, problems),
    problems,
    generatedAt: now.toISOString(),
  };
}
