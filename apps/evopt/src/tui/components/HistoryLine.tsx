import { Text } from 'ink';
import { fit } from '../../format/width.js';
import { score } from '../text.js';
import type { GenerationRow } from '../state.js';

export interface HistoryLineProps {
  readonly row: GenerationRow;
  readonly generations: number | null;
  readonly width: number;
}

/** A finished generation in one line; drawn once, above the live area. */
export function historyLine(row: GenerationRow, generations: number | null, width: number): string {
  // Diverged and failed only when there were some: the line has to fit 80 columns with its formula.
  const counts = [
    `${row.evaluated} evaluated`,
    `${row.cached} cached`,
    ...(row.diverged ? [`${row.diverged} diverged`] : []),
    ...(row.failed ? [`${row.failed} failed`] : []),
  ].join(', ');
  return fit(
    `generation ${row.generation + 1}/${generations ?? '?'}  best ${score(row.best)}  mean ${score(row.mean)}  ${counts}  ${row.bestFormula}`,
    width,
  );
}

export function HistoryLine({ row, generations, width }: HistoryLineProps) {
  return (
    <Text color="gray" wrap="truncate-end">
      {historyLine(row, generations, width)}
    </Text>
  );
}
