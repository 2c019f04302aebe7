import { percentVs, renderHyperparameters, renderSchedule } from '@evopt/core';
import type { RunAnalysis } from './analyze.js';
import { formatDuration } from '../format/duration.js';
import { count, esc, facts, num, raw, section, table } from './html.js';

const TOP_GENOMES = 10;

export function bestGenomeSection(analysis: RunAnalysis, perTaskFigure: string): string {
  const best = analysis.best;
  if (!best) return section('best', 'Best genome', '<p class="muted">No generation has finished yet.</p>');
  const { scored } = best;
  const tasks = Object.keys({ ...scored.perTask, ...best.perTask });
  const vs = analysis.baselines.map((b): [string, string] => {
    const change = percentVs(scored.fitness, b.fitness);
    return [`vs ${b.id}`, change === null ? 'n/a' : `${change} (${num(b.fitness)})`];
  });
  const perTask = table(
    ['task', 'best', ...analysis.baselines.map((b) => b.id)],
    tasks.map((t) => [
      t,
      best.perTask[t]?.mean ?? scored.perTask[t] ?? null,
      ...analysis.baselines.map((b) => b.perTask[t]?.mean ?? null),
    ]),
    'per-task',
  );
  return section(
    'best',
    'Best genome',
    `<p class="formula">${esc(scored.formula)}</p>`,
    facts([
      ['fitness', num(scored.fitness)],
      ...vs,
      ['hash', raw(`<code>${esc(scored.hash)}</code>`)],
      ['found in generation', best.generation === null ? 'unknown' : String(best.generation)],
      ['hyperparameters', renderHyperparameters(scored.genome)],
      ['schedule', renderSchedule(scored.genome)],
    ]),
    perTaskFigure,
    perTask,
    `<details><summary>genome JSON (evopt.genome/1)</summary><pre class="genome-json">${esc(JSON.stringify(scored.genome, null, 2))}</pre></details>`,
  );
}

export function generationsSection(analysis: RunAnalysis, figures: readonly string[]): string {
  const rows = analysis.generations.map((g) => [
    count(g.generation),
    g.best,
    g.mean,
    g.median,
    count(g.evaluated),
    count(g.cached),
    count(g.diverged),
    count(g.failed),
    g.diversity,
    raw(`<code>${esc(g.bestHash)}</code>`),
  ]);
  const mix =
    analysis.primitives.length === 0
      ? ''
      : `<details><summary>term mix as a table (share of genomes using each primitive)</summary>${table(
          ['generation', ...analysis.primitives],
          analysis.generations.map((g) => [
            count(g.generation),
            ...analysis.primitives.map((id) => (g.termShares ? (g.termShares[id] ?? 0) : null)),
          ]),
          'term-mix',
        )}</details>`;
  return section(
    'generations',
    'Generations',
    ...figures,
    mix,
    rows.length === 0
      ? '<p class="muted">No generation has finished yet.</p>'
      : table(
          [
            'generation',
            'best',
            'mean',
            'median',
            'evaluated',
            'cached',
            'diverged',
            'failed',
            'diversity',
            'best hash',
          ],
          rows,
          'generations',
        ),
  );
}

export function topGenomesSection(analysis: RunAnalysis): string {
  const top = analysis.top;
  if (!top) return '';
  const tasks = analysis.settings.tasks;
  const shown = top.genomes.slice(0, TOP_GENOMES);
  const rows = shown.map((g, i) => [
    count(i + 1),
    g.fitness,
    ...tasks.map((t) => g.perTask[t] ?? null),
    raw(
      `<span class="terms"${g.formula ? ` title="${esc(g.formula)}"` : ''}>${esc(g.terms)}</span>${g.baseline ? ` <span class="muted">(baseline ${esc(g.baseline)})</span>` : ''}`,
    ),
    renderHyperparameters(g.genome),
    raw(`<code>${esc(g.hash)}</code>`),
    count(g.expected === null ? String(g.evaluations) : `${g.evaluations}/${g.expected}`),
  ]);
  return section(
    'top',
    `Top genomes of generation ${top.generation}`,
    `<p class="muted">The ${shown.length} best of ${top.genomes.length} genomes of the last finished generation, scored from the journal's records. Terms name primitives by id; hover for the rendered formula where the run recorded one.</p>`,
    table(['rank', 'fitness', ...tasks, 'terms', 'hyperparameters', 'hash', 'records'], rows, 'top-genomes'),
  );
}

export function evaluationsSection(analysis: RunAnalysis): string {
  const s = analysis.stats;
  const workers = table(
    ['worker', 'backend', 'evaluations', 'mean duration', 'busy time', 'evaluations / busy minute'],
    s.workers.map((w) => [
      w.worker,
      w.backend ?? '—',
      count(w.evaluations),
      count(formatDuration(w.meanMs)),
      count(formatDuration(w.busyMs)),
      count(Number.isFinite(w.perMinute) ? w.perMinute.toFixed(1) : '—'),
    ]),
    'workers',
  );
  const errors =
    s.errors.length === 0
      ? ''
      : `<h3>Errors of failed evaluations</h3><ul class="errors">${s.errors.map((e) => `<li>${e.count}× ${esc(e.message)}</li>`).join('')}</ul>`;
  return section(
    'evaluations',
    'Evaluations',
    facts([
      ['evaluations journaled', String(s.total)],
      ['ok / diverged / failed', `${s.ok} / ${s.diverged} / ${s.failed}`],
      ['cache hits', String(s.cacheHits)],
      ['mean duration', formatDuration(s.meanMs)],
    ]),
    s.workers.length === 0 ? '' : workers,
    errors,
  );
}
