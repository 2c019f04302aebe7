import type { EvoptEvent, GenerationSummary, JournalProblem, LockOwner, RunStatus, ScoredGenome } from '@evopt/core';
import type { SavedRunConfig } from '../commands/run-config.js';

/** best.json as a run writes it: the best genome so far, and the generation that found it. */
export interface BestFile extends ScoredGenome {
  readonly runId?: string;
  readonly generation?: number;
}

/** What checkpoint.json tells a report: the history and baselines, when the journal lacks them. */
export interface CheckpointSummary {
  readonly savedAt: string;
  readonly history: readonly GenerationSummary[];
  readonly baselines: Readonly<Record<string, number>>;
  readonly best: ScoredGenome | null;
}

/**
 * Everything a report is drawn from, read from a run directory by `loadReportData`. A report is a
 * pure function of it, so tests build one by hand.
 */
export interface ReportData {
  readonly runId: string;
  readonly runDir: string;
  /** As `evopt runs` sees it: a live lock means running, else the journal's last ending. */
  readonly status: RunStatus;
  /** Who holds run.lock while the run is running. */
  readonly lockedBy?: LockOwner;
  /** config.json, or null when it is missing or not a run config (see `problems`). */
  readonly config: SavedRunConfig | null;
  /** The journal's good records, in order. */
  readonly events: readonly EvoptEvent[];
  /** Journal lines that could not be read and were skipped. */
  readonly skippedLines: readonly JournalProblem[];
  readonly best: BestFile | null;
  readonly checkpoint: CheckpointSummary | null;
  /** Files that could not be used, in words ("checkpoint.json: checksum mismatch…"). */
  readonly problems: readonly string[];
  /** ISO time the report was made; passed in, so a report is reproducible. */
  readonly generatedAt: string;
}
