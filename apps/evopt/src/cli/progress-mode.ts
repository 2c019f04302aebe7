import { Option } from 'commander';

/** How a run shows its progress: the live TUI, plain lines, or one JSON event per line. */
export type ProgressMode = 'tui' | 'plain' | 'json';
export const PROGRESS_MODES: readonly ProgressMode[] = ['tui', 'plain', 'json'];

/** The TUI on an interactive terminal (stdout and stdin TTYs, not CI); plain lines anywhere else. */
export function defaultProgressMode(
  stdout: { isTTY?: boolean } = process.stdout,
  stdin: { isTTY?: boolean } = process.stdin,
  env: NodeJS.ProcessEnv = process.env,
): ProgressMode {
  const ci = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== '0' && env['CI'] !== 'false';
  return stdout.isTTY && stdin.isTTY && !ci ? 'tui' : 'plain';
}

/** `--progress <tui|plain|json>`, shared by evolve, resume and watch. */
export function progressOption(): Option {
  return new Option('--progress <mode>', 'progress output: the live TUI, plain lines, or one JSON event per line')
    .choices([...PROGRESS_MODES])
    .default(defaultProgressMode(), 'tui on an interactive terminal, else plain');
}
