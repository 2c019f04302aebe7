import { Box, Text } from 'ink';
import { columns, fit, padEnd } from '../../format/width.js';
import { bar, shortHash } from '../text.js';
import type { WorkerView } from '../state.js';

export interface WorkersProps {
  readonly workers: readonly WorkerView[];
  readonly width: number;
  readonly limit: number;
}

/** One worker as a line: genome hash, task, seed, step/total, steps/s; a bar when there is room. */
export function workerLine(worker: WorkerView, width: number): string {
  // Remote workers are named host:pid: give them room for both, up to a quarter of the line.
  const name = padEnd(worker.name, Math.min(Math.max(12, Math.floor(width / 4)), Math.max(9, worker.name.length + 1)));
  const c = worker.current;
  if (!c) return fit(`${name}${worker.status}`, width);
  const task = c.task.slice(c.task.lastIndexOf('/') + 1);
  const rate =
    c.stepsPerSecond === null ? '' : ` · ${c.stepsPerSecond.toFixed(c.stepsPerSecond >= 100 ? 0 : 1)} steps/s`;
  const text = `${shortHash(c.hash)} · ${task} · seed ${c.seedIndex} · step ${c.step}/${c.totalSteps}${rate}`;
  const room = width - columns(name) - columns(text) - 3;
  const progress = room >= 8 ? `▕${bar(c.totalSteps > 0 ? c.step / c.totalSteps : 0, Math.min(16, room))}▏ ` : '';
  return fit(`${name}${progress}${text}`, width);
}

export function Workers({ workers, width, limit }: WorkersProps) {
  if (workers.length === 0 || limit <= 0) return null;
  const sorted = [...workers].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const busy = sorted.filter((w) => w.current).length;
  if (sorted.length > limit && limit === 1)
    return <Text color="gray">{fit(`${sorted.length} workers, ${busy} busy`, width)}</Text>;
  // Too many for the screen: the busy ones first, and a line for the rest.
  const shown =
    sorted.length > limit
      ? [...sorted.filter((w) => w.current), ...sorted.filter((w) => !w.current)].slice(0, limit - 1)
      : sorted;
  const hidden = sorted.length - shown.length;
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((worker) => (
        <Text key={worker.name} color={worker.current ? undefined : 'gray'} wrap="truncate-end">
          {workerLine(worker, width)}
        </Text>
      ))}
      {hidden > 0 && <Text color="gray">{fit(`… ${hidden} more worker${hidden === 1 ? '' : 's'}`, width)}</Text>}
    </Box>
  );
}
