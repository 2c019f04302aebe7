import type { Command } from 'commander';
import type { ProgramContext } from '../cli/program.js';

/** `evopt ci`: registered here; implemented in this file. */
export function registerCi(program: Command, context: ProgramContext): void {
  void program;
  void context;
}
