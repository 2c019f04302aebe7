import { Box, Text } from 'ink';
import { columns } from '../../format/width.js';
import { bar, pack } from '../text.js';
import type { GenerationProgress as Progress, RunInfo } from '../state.js';

export interface GenerationProgressProps {
  readonly current: Progress | null;
  readonly run: RunInfo | null;
  readonly width: number;
}

/** The current generation as lines: its number and a bar, then evaluated, cached, diverged and failed. */
export function generationLines(current: Progress | null, run: RunInfo | null, width: number): string[] {
  if (!current) return ['waiting for the first generation…'];
  const label = `generation ${current.generation + 1}/${run?.generations ?? '?'}${current.done ? ' done' : ''}`;
  const counts = [
    `${current.evaluated}/${current.toEvaluate} evaluated`,
    `${current.cached} cached`,
    `${current.diverged} diverged`,
    `${current.failed} failed`,
  ];
  const fraction = current.toEvaluate === 0 ? 1 : current.evaluated / current.toEvaluate;
  const one = counts.join(' · ');
  const barWidth = Math.min(24, width - columns(label) - columns(one) - 4);
  if (barWidth >= 8) return [`${label} ▕${bar(fraction, barWidth)}▏ ${one}`];
  const shortBar = Math.min(24, width - columns(label) - 3);
  return [shortBar >= 6 ? `${label} ▕${bar(fraction, shortBar)}▏` : label, ...pack(counts, width)];
}

export function GenerationProgress({ current, run, width }: GenerationProgressProps) {
  return (
    <Box flexDirection="column" width={width}>
      {generationLines(current, run, width).map((line, i) => (
        <Text key={i} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
