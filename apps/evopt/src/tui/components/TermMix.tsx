import { Box, Text } from 'ink';
import { padEnd, padStart } from '../../format/width.js';
import { bar } from '../text.js';

export interface TermMixProps {
  readonly termCounts: Readonly<Record<string, number>>;
  readonly populationSize: number;
  readonly width: number;
  readonly limit: number;
}

/** How many genomes of the population use each primitive, most used first, as bars. */
export function termLines(
  termCounts: Readonly<Record<string, number>>,
  populationSize: number,
  width: number,
  limit: number,
): string[] {
  const entries = Object.entries(termCounts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  if (entries.length === 0) return [];
  const nameWidth = Math.min(12, Math.max(...entries.map(([id]) => id.length)) + 1);
  const count = `${populationSize}/${populationSize}`.length;
  const barWidth = Math.max(3, Math.min(30, width - nameWidth - count - 2));
  const lines = entries
    .slice(0, limit)
    .map(
      ([id, n]) =>
        `${padEnd(id, nameWidth)}${bar(n / Math.max(1, populationSize), barWidth)} ${padStart(`${n}/${populationSize}`, count)}`,
    );
  if (entries.length > limit) lines[lines.length - 1] = `… ${entries.length - limit + 1} more terms`;
  return lines;
}

export function TermMix({ termCounts, populationSize, width, limit }: TermMixProps) {
  const lines = termLines(termCounts, populationSize, width, Math.max(1, limit - 1));
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>term mix</Text>
      {lines.map((line, i) => (
        <Text key={i} color="magenta" wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
