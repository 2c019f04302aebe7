import { Box, Text } from 'ink';
import { fit, padEnd, padStart } from '../../format/width.js';
import { score, shortHash } from '../text.js';
import { formulaFor, type FormulaOf } from '../formula.js';
import type { RankedGenome } from '../state.js';

export interface TopGenomesProps {
  readonly rows: readonly RankedGenome[];
  readonly tasks: readonly string[];
  /** Index into `rows` of the highlighted genome, or null. */
  readonly selected: number | null;
  readonly width: number;
  /** At most this many rows; the selection scrolls the window. */
  readonly limit: number;
  readonly formulaOf?: FormulaOf;
}

/** A task's column title: its id without the plugin namespace. */
const taskTitle = (task: string) => task.slice(task.lastIndexOf('/') + 1);

/** Which columns fit: per-task scores and the hash go first when the formula would get too narrow. */
export function tableColumns(
  tasks: readonly string[],
  width: number,
): { taskWidth: number; showTasks: boolean; showHash: boolean; formulaWidth: number } {
  const taskWidth = Math.max(7, Math.min(14, Math.max(0, ...tasks.map((t) => taskTitle(t).length))));
  const fixed = 2 + 4 + 8; // marker, rank, fitness
  const tasksWidth = tasks.length * (taskWidth + 1);
  const minFormula = 32;
  const showTasks = width - fixed - tasksWidth - 9 >= minFormula;
  const showHash = width - fixed - (showTasks ? tasksWidth : 0) - 9 >= Math.min(minFormula, 16);
  const formulaWidth = Math.max(4, width - fixed - (showTasks ? tasksWidth : 0) - (showHash ? 9 : 0));
  return { taskWidth, showTasks, showHash, formulaWidth };
}

/** The first row to show so that `selected` stays inside a window of `limit` rows. */
export function windowStart(count: number, selected: number | null, limit: number): number {
  if (selected === null || count <= limit) return 0;
  return Math.min(Math.max(0, selected - limit + 1), count - limit);
}

export function TopGenomes({ rows, tasks, selected, width, limit, formulaOf }: TopGenomesProps) {
  if (rows.length === 0) {
    return <Text color="gray">top genomes: ranked when the first generation finishes</Text>;
  }
  const { taskWidth, showTasks, showHash, formulaWidth } = tableColumns(tasks, width);
  const start = windowStart(rows.length, selected, limit);
  const visible = rows.slice(start, start + Math.max(1, limit));
  const header = `  ${padEnd('#', 4)}${padEnd('fitness', 8)}${showTasks ? tasks.map((t) => padEnd(taskTitle(t), taskWidth) + ' ').join('') : ''}${padEnd('formula', formulaWidth)}${showHash ? ` ${'hash'}` : ''}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text bold wrap="truncate-end">
        {fit(header, width)}
      </Text>
      {visible.map((row, i) => {
        const isSelected = start + i === selected;
        const perTask = showTasks ? tasks.map((t) => padStart(score(row.perTask[t]), taskWidth) + ' ').join('') : '';
        const formula = padEnd(formulaFor(row.formula, row.genome, formulaOf), formulaWidth);
        const line = `${isSelected ? '› ' : '  '}${padEnd(String(row.rank), 4)}${padEnd(score(row.fitness), 8)}${perTask}${formula}${showHash ? ` ${shortHash(row.hash)}` : ''}`;
        return (
          <Text key={row.hash} inverse={isSelected} wrap="truncate-end">
            {fit(line, width)}
          </Text>
        );
      })}
    </Box>
  );
}
