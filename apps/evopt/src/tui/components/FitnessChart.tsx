import { Box, Text } from 'ink';
import { columns, fit, padEnd } from '../../format/width.js';
import { score, sparkline } from '../text.js';
import type { GenerationRow } from '../state.js';

export interface FitnessChartProps {
  readonly history: readonly GenerationRow[];
  readonly width: number;
  /** The Adam baseline's fitness: drawn as a reference line when known. */
  readonly adam: number | null;
}

const LABEL = 6;

/**
 * Best and mean fitness per generation as sparklines on one shared scale, one column per
 * generation; when there are more generations than columns, the latest ones.
 */
export function chartLines(history: readonly GenerationRow[], width: number, adam: number | null): string[] {
  if (history.length === 0) return [fit('fitness: the chart starts when generation 1 finishes', width)];
  const room = Math.max(1, width - LABEL - 8);
  const shown = history.slice(-room);
  const values = [
    ...shown.map((h) => h.best),
    ...shown.map((h) => h.mean),
    ...(adam !== null && Number.isFinite(adam) ? [adam] : []),
  ].filter(Number.isFinite);
  const min = values.length ? Math.min(...values) : 0;
  const max = values.length ? Math.max(...values) : 1;
  const last = shown.at(-1) as GenerationRow;
  const row = (label: string, series: readonly number[], value: number) =>
    `${padEnd(label, LABEL)}${padEnd(sparkline(series, min, max), room)} ${score(value)}`;
  const lines = [
    row(
      'best',
      shown.map((h) => h.best),
      last.best,
    ),
    row(
      'mean',
      shown.map((h) => h.mean),
      last.mean,
    ),
  ];
  if (adam !== null && Number.isFinite(adam))
    lines.push(
      row(
        'adam',
        shown.map(() => adam),
        adam,
      ),
    );
  const first = shown[0] as GenerationRow;
  const span = `${padEnd('', LABEL)}generations ${first.generation + 1}–${last.generation + 1}, scale ${score(min)}–${score(max)}`;
  lines.push(columns(span) <= width ? span : fit(span, width));
  return lines.map((line) => fit(line, width));
}

export function FitnessChart({ history, width, adam }: FitnessChartProps) {
  const lines = chartLines(history, width, adam);
  const colors = ['green', 'blue', 'gray'];
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        <Text key={i} color={i < lines.length - 1 ? colors[i] : 'gray'} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
