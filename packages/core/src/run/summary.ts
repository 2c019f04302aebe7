import type { ScoredGenome } from '../events.js';
import { renderHyperparameters } from '../genome/formula.js';
import { percentVs } from '../stats/change.js';

/** One line of the run's history: what the TUI's chart and summary.md show. */
export interface GenerationSummary {
  readonly generation: number;
  readonly best: number;
  readonly mean: number;
  readonly median: number;
  readonly bestHash: string;
  readonly evaluated: number;
  readonly cached: number;
  readonly diverged: number;
  readonly failed: number;
}

export interface SummaryInput {
  readonly runId: string;
  readonly preset: string | null;
  readonly seed: number;
  readonly tasks: readonly string[];
  readonly best: ScoredGenome;
  readonly history: readonly GenerationSummary[];
  /** Fitness of the baselines in generation 0, by id, where they were seeded. */
  readonly baselines: Readonly<Record<string, number>>;
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

/** summary.md, written once at the end of a run. */
export function renderSummary(input: SummaryInput): string {
  const { best } = input;
  const lines = [
    `# evopt run ${input.runId}`,
    '',
    `Preset: ${input.preset ?? '(none)'} · seed ${input.seed} · tasks: ${input.tasks.join(', ')}`,
    '',
    '## Best genome',
    '',
    `**${best.formula}**`,
    '',
    renderHyperparameters(best.genome),
    '',
    `Fitness ${f(best.fitness)} (hash \`${best.hash}\`), on the validation split used for search.`,
    '',
    '| task | score |',
    '| --- | --- |',
    ...Object.entries(best.perTask).map(([task, score]) => `| ${task} | ${f(score)} |`),
    '',
  ];
  const baselineRows = Object.entries(input.baselines);
  if (baselineRows.length > 0) {
    lines.push(
      '## Baselines (generation 0, same seeds)',
      '',
      '| genome | fitness | best vs it |',
      '| --- | --- | --- |',
    );
    for (const [id, fitness] of baselineRows) {
      lines.push(`| ${id} | ${f(fitness)} | ${percentVs(best.fitness, fitness) ?? 'n/a'} |`);
    }
    lines.push('');
  }
  lines.push(
    '## Generations',
    '',
    '| generation | best | mean | median | evaluated | cached | diverged | failed |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  );
  for (const g of input.history) {
    lines.push(
      `| ${g.generation} | ${f(g.best)} | ${f(g.mean)} | ${f(g.median)} | ${g.evaluated} | ${g.cached} | ${g.diverged} | ${g.failed} |`,
    );
  }
  lines.push(
    '',
    'Scores are search fitness (on validation data, where a task has a split); claims about the optimizer belong on the test split.',
    '',
  );
  return lines.join('\n');
}
