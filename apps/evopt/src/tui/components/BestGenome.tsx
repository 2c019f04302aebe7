import { Box, Text } from 'ink';
import { percentVs, renderHyperparameters, type ScoredGenome } from '@evopt/core';
import { fit } from '../../format/width.js';
import { pack, score, shortHash } from '../text.js';

export interface BestGenomeProps {
  readonly best: ScoredGenome | null;
  readonly adam: number | null;
  readonly width: number;
}

/** The best genome so far: fitness against Adam, its formula, then hyperparameters and schedule. */
export function bestLines(best: ScoredGenome | null, adam: number | null, width: number): string[] {
  if (!best) return ['best: none yet'];
  const change = percentVs(best.fitness, adam);
  const head = [
    `best ${score(best.fitness)}`,
    ...(change && adam !== null ? [`${change} vs adam ${score(adam)}`] : []),
    shortHash(best.hash),
  ];
  return [
    ...pack(head, width),
    fit(`  ${best.formula}`, width),
    ...pack(renderHyperparameters(best.genome).split(' · '), width - 2).map((line) => `  ${line}`),
  ];
}

export function BestGenome({ best, adam, width }: BestGenomeProps) {
  return (
    <Box flexDirection="column" width={width}>
      {bestLines(best, adam, width).map((line, i) => (
        <Text key={i} bold={i === 0} color={i === 1 ? 'green' : undefined} wrap="truncate-end">
          {line}
        </Text>
      ))}
    </Box>
  );
}
