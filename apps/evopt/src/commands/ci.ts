import { CommanderError, type Command } from 'commander';
import { backendNotices, verboseOption } from '../cli/backend-notices.js';
import type { ProgramContext } from '../cli/program.js';
import { reportError } from '../cli/exit.js';
import { ciExitCode, ciUsageExitCode, runCi } from '../ci/index.js';

interface CiFlags {
  config?: string;
  junit?: string;
  summary?: string;
  json?: string;
  updateBaseline?: boolean;
  workDir?: string;
  fresh?: boolean;
  verbose?: boolean;
}

/**
 * `evopt ci`: the regression gate CI pipelines run. Its exit statuses are its own (0 pass,
 * 1 regression, 2 config or usage error, 3 infrastructure error; docs/CI.md), including for
 * commander's usage errors, so a pipeline never mistakes a typo for a regression.
 */
export function registerCi(program: Command, context: ProgramContext): void {
  program
    .command('ci')
    .description(
      "check guarded genomes against a baseline (adam) and their recorded fitness, from the config's ci block; exit 0 pass, 1 regression, 2 config or usage error, 3 infrastructure error",
    )
    .option('-c, --config <file>', 'config file with a ci block (default: evopt.config.* in this directory)')
    .option('--junit <file>', 'write a JUnit XML report (one testsuite per kind of check, one testcase per genome)')
    .option('--summary <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when it is set)')
    .option('--json <file>', "write the report as JSON; '-' writes it to stdout (the table then goes to stderr)")
    .option('--update-baseline', "rewrite the record file from this run's fitnesses (then check against it)")
    .option(
      '--work-dir <dir>',
      'journal evaluations here (default: .evopt/ci/<fingerprint>/ next to the config file); an interrupted ci continues from it',
    )
    .option('--fresh', 'ignore the journal of an interrupted ci run and evaluate everything again')
    .addOption(verboseOption())
    .exitOverride((error) => {
      throw new CommanderError(ciUsageExitCode(error.exitCode), error.code, error.message);
    })
    .action(async (flags: CiFlags) => {
      try {
        const githubStepSummary = process.env['GITHUB_STEP_SUMMARY'];
        const { exitCode } = await runCi({
          cwd: context.cwd,
          ...(flags.config !== undefined && { configFile: flags.config }),
          ...(flags.junit !== undefined && { junit: flags.junit }),
          ...(flags.summary !== undefined && { summary: flags.summary }),
          ...(flags.json !== undefined && { json: flags.json }),
          ...(flags.workDir !== undefined && { workDir: flags.workDir }),
          ...(githubStepSummary && { githubStepSummary }),
          fresh: flags.fresh ?? false,
          updateBaseline: flags.updateBaseline ?? false,
          signal: context.signal,
          print: context.print,
          log: backendNotices(context.log, { verbose: flags.verbose ?? false }),
        });
        context.setExitCode(exitCode);
      } catch (error) {
        reportError(error, (text) => context.log(text.replace(/\n$/, '')));
        context.setExitCode(ciExitCode(error));
      }
    });
}
