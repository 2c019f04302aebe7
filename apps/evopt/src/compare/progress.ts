/** At most one progress line per this many milliseconds (the last evaluation always gets one). */
export const PROGRESS_INTERVAL_MS = 2000;

export interface TrialProgress {
  /** runTrials' onStart: says what the journal already holds. */
  readonly onStart: (done: number, total: number) => void;
  /** runTrials' onRecord. */
  readonly onRecord: (record: unknown, done: number, total: number) => void;
}

/**
 * Progress lines for one phase of trials ("test: 12/40 evaluations…"): a line when the journal
 * already holds some ("resuming: …"), then at most one per {@link PROGRESS_INTERVAL_MS}, and the last.
 */
export function trialProgress(
  phase: string,
  log: (line: string) => void,
  now: () => number = Date.now,
  intervalMs = PROGRESS_INTERVAL_MS,
): TrialProgress {
  let last = Number.NEGATIVE_INFINITY;
  return {
    onStart: (done, total) => {
      if (done > 0) log(`${phase}: resuming: ${done} of ${total} evaluations already done`);
    },
    onRecord: (_record, done, total) => {
      const time = now();
      if (done < total && time - last < intervalMs) return;
      last = time;
      log(`${phase}: ${done}/${total} evaluations${done < total ? '…' : ', done'}`);
    },
  };
}
