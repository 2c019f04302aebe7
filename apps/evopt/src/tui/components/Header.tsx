import { Box, Text } from 'ink';
import { formatDuration } from '../../format/duration.js';
import { fit } from '../../format/width.js';
import { pack } from '../text.js';
import { elapsedMs, etaMs } from '../selectors.js';
import type { RunInfo, TuiState } from '../state.js';

export interface HeaderProps {
  readonly state: TuiState;
  readonly width: number;
  /** ms since epoch: the clock for the elapsed time. */
  readonly now: number;
  readonly mode: 'live' | 'watch';
}

/** The status word at the right of the title. */
export function statusWord(state: TuiState): { text: string; color: string } {
  if (state.phase === 'running' && state.paused) return { text: 'PAUSED', color: 'yellow' };
  switch (state.phase) {
    case 'running':
      return { text: 'RUNNING', color: 'green' };
    case 'finished':
      return { text: 'FINISHED', color: 'cyan' };
    case 'stopped':
      return { text: 'STOPPED', color: 'yellow' };
    case 'failed':
      return { text: 'FAILED', color: 'red' };
    case 'incomplete':
      return { text: 'NOT RUNNING', color: 'yellow' };
    case 'waiting':
      return { text: 'WAITING', color: 'gray' };
  }
}

/** Workers and evaluator; only the evaluator's name where it cannot know its workers (a queue's fleet comes and goes). */
function evaluatorSegment({ workers, evaluator }: RunInfo): string {
  return workers === undefined
    ? `evaluator ${evaluator}`
    : `${workers} worker${workers === 1 ? '' : 's'} (${evaluator})`;
}

/** The header's detail lines: preset, backend, workers, elapsed time, ETA, journal problems. */
export function headerDetails(state: TuiState, width: number, now: number): string[] {
  const run = state.run;
  const elapsed = elapsedMs(state, now);
  const eta = etaMs(state);
  const backend = state.backend
    ? `backend ${state.backend}${state.devices.length ? ` on ${state.devices.join(', ')}` : ''}`
    : 'backend not reported yet';
  const segments = [
    ...(run
      ? [
          `preset ${run.preset ?? 'none'}`,
          `seed ${run.seed}`,
          ...(run.mode === 'steady-state' ? ['steady-state GA'] : []),
        ]
      : []),
    backend,
    ...(run ? [evaluatorSegment(run)] : []),
    ...(elapsed === null ? [] : [`elapsed ${formatDuration(elapsed)}`]),
    ...(state.phase === 'running' ? [`ETA ${eta === null ? '…' : formatDuration(eta)}`] : []),
    ...(state.corruptLines > 0
      ? [`${state.corruptLines} corrupt journal line${state.corruptLines === 1 ? '' : 's'} skipped`]
      : []),
  ];
  return pack(segments, width);
}

export function Header({ state, width, now, mode }: HeaderProps) {
  const status = statusWord(state);
  const badge = mode === 'watch' ? `WATCHING · ${status.text}` : status.text;
  const title = fit(`evopt · run ${state.run?.runId ?? '…'}`, Math.max(0, width - badge.length - 1));
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width} justifyContent="space-between">
        <Text bold color="cyan" wrap="truncate-end">
          {title}
        </Text>
        <Text bold color={status.color}>
          {badge}
        </Text>
      </Box>
      {headerDetails(state, width, now).map((line, i) => (
        <Text key={i} color={line.includes('corrupt journal') ? 'yellow' : undefined} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
