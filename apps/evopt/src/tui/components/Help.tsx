import { Box, Text } from 'ink';
import { fit, padEnd } from '../../format/width.js';

export interface HelpProps {
  readonly mode: 'live' | 'watch';
  readonly width: number;
}

/** The keys and what they do; watching, q and p mean something else than in the running process. */
export function helpEntries(mode: 'live' | 'watch'): [string, string][] {
  return [
    [
      'q',
      mode === 'live'
        ? 'stop the run gracefully: journal what finished, checkpoint, exit (q again forces it)'
        : 'stop watching (the run goes on)',
    ],
    [
      'p',
      mode === 'live'
        ? 'pause or resume dispatching evaluations (running ones finish)'
        : 'not here: pause from the process running it',
    ],
    ['↑ ↓', 'select a genome in the table'],
    ['enter', 'open the selected genome: formula, hyperparameters, every record'],
    ['e', 'export the selected genome to <run>/exports/<hash>.mjs, .py and .json'],
    ['?', 'this help'],
    ['esc', 'back to the run'],
  ];
}

export function Help({ mode, width }: HelpProps) {
  return (
    <Box flexDirection="column" width={width}>
      <Text bold color="cyan">
        keys
      </Text>
      {helpEntries(mode).map(([key, text]) => (
        <Text key={key} wrap="truncate-end">
          {fit(`  ${padEnd(key, 7)}${text}`, width)}
        </Text>
      ))}
    </Box>
  );
}
