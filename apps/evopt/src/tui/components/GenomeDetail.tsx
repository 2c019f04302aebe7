import { Box, Text } from 'ink';
import { formatNumber, percentVs, renderHyperparameters, type EvaluationRecord } from '@evopt/core';
import { formatDuration } from '../../format/duration.js';
import { fit, padEnd, padStart, wrap } from '../../format/width.js';
import { pack, score } from '../text.js';
import { formulaFor, type FormulaOf } from '../formula.js';
import type { RankedGenome } from '../state.js';

export interface GenomeDetailProps {
  readonly genome: RankedGenome;
  /** Its evaluation records, every task and seed. */
  readonly records: readonly EvaluationRecord[];
  readonly adam: number | null;
  readonly width: number;
  /** At most this many record lines. */
  readonly limit: number;
  readonly formulaOf?: FormulaOf;
}

function metricsText(record: EvaluationRecord): string {
  const entries = Object.entries(record.metrics).slice(0, 3);
  return entries.map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ');
}

/** One genome in full: formula, hyperparameters, per-task scores, then each of its records. */
export function GenomeDetail({ genome, records, adam, width, limit, formulaOf }: GenomeDetailProps) {
  const formula = formulaFor(genome.formula, genome.genome, formulaOf);
  const change = percentVs(genome.fitness, adam);
  const sorted = [...records].sort((a, b) => a.task.localeCompare(b.task) || a.seedIndex - b.seedIndex);
  const wide = width >= 100;
  const header = `  ${padEnd('task', 16)}${padEnd('seed', 5)}${padEnd('status', 9)}${padStart('score', 7)}  ${padStart('steps', 6)}  ${padStart('time', 6)}${wide ? `  ${'metrics'}` : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color="cyan" wrap="truncate-end">
        {fit(`genome ${genome.hash} · rank ${genome.rank}`, width)}
      </Text>
      <Text bold wrap="truncate-end">
        {fit(
          `fitness ${score(genome.fitness)}${change && adam !== null ? ` (${change} vs adam ${score(adam)})` : ''}`,
          width,
        )}
      </Text>
      {wrap(formula, width - 2).map((line, i) => (
        <Text key={`f${i}`} color="green">{`  ${line}`}</Text>
      ))}
      {pack(renderHyperparameters(genome.genome).split(' · '), width - 2).map((line, i) => (
        <Text key={`h${i}`}>{`  ${line}`}</Text>
      ))}
      {pack(
        Object.entries(genome.perTask).map(([task, s]) => `${task} ${score(s)}`),
        width - 2,
      ).map((line, i) => (
        <Text key={`t${i}`}>{`  ${line}`}</Text>
      ))}
      <Text> </Text>
      {sorted.length === 0 ? (
        <Text color="gray">no evaluation records for this genome in the journal</Text>
      ) : (
        <Text bold wrap="truncate-end">
          {fit(header, width)}
        </Text>
      )}
      {sorted.slice(0, limit).map((r) => (
        <Text
          key={`${r.task}|${r.seedIndex}|${r.steps}`}
          color={r.status === 'ok' ? undefined : 'red'}
          wrap="truncate-end"
        >
          {fit(
            `  ${padEnd(r.task, 16)}${padEnd(String(r.seedIndex), 5)}${padEnd(r.status, 9)}${padStart(score(r.score), 7)}  ${padStart(String(r.stepsCompleted), 6)}  ${padStart(formatDuration(r.durationMs), 6)}${wide ? `  ${metricsText(r)}` : ''}${r.error ? `  ${r.error.message}` : ''}`,
            width,
          )}
        </Text>
      ))}
      {sorted.length > limit && <Text color="gray">{fit(`  … ${sorted.length - limit} more records`, width)}</Text>}
    </Box>
  );
}
