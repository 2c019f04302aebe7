import { Box, Text } from 'ink';
import { fit } from '../../format/width.js';
import type { LogEntry, LogKind } from '../state.js';

export interface EventLogProps {
  readonly entries: readonly LogEntry[];
  readonly width: number;
  readonly limit: number;
}

const COLORS: Record<LogKind, string | undefined> = {
  best: 'green',
  failure: 'red',
  checkpoint: 'gray',
  warning: 'yellow',
  info: undefined,
};

/** "12:03:04": the entry's local time of day. */
function clock(time: string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toTimeString().slice(0, 8);
}

/** The latest `limit` entries of the event log, oldest first. */
export function EventLog({ entries, width, limit }: EventLogProps) {
  if (entries.length === 0 || limit <= 0) return null;
  return (
    <Box flexDirection="column" width={width}>
      {entries.slice(-limit).map((entry) => (
        <Text key={entry.id} color={COLORS[entry.kind]} wrap="truncate-end">
          {fit(`${clock(entry.time)}  ${entry.text}`, width)}
        </Text>
      ))}
    </Box>
  );
}
