import { listRuns, loadConfig, type RunSummary } from '@evopt/core';

export interface RunsOptions {
  readonly cwd: string;
  readonly configFile?: string;
  readonly json: boolean;
}

function row(run: RunSummary): string[] {
  return [
    run.runId,
    run.status,
    `${run.generation === null ? 0 : run.generation + 1}/${run.generations ?? '?'}`,
    run.bestFitness === null || run.bestFitness === undefined ? '-' : run.bestFitness.toFixed(4),
    run.preset ?? '-',
  ];
}

/** `evopt runs`: the runs in the configured runs directory, newest first. */
export async function runs(options: RunsOptions): Promise<string> {
  const { config } = await loadConfig({
    cwd: options.cwd,
    ...(options.configFile ? { configFile: options.configFile } : {}),
  });
  const found = listRuns(config.runsDir);
  if (options.json) return JSON.stringify(found, null, 2);
  if (found.length === 0) return `no runs in ${config.runsDir}; start one with \`evopt evolve\``;
  const table = [['run', 'status', 'generation', 'best', 'preset'], ...found.map(row)];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  return [
    `runs in ${config.runsDir}:`,
    ...table.map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    ),
  ].join('\n');
}
