import type { RunAnalysis } from './analyze.js';
import type { ReportData } from './data.js';
import { esc, facts, raw, section } from './html.js';

const MAX_LISTED_LINES = 20;

function orUnknown(value: number | string | null): string {
  return value === null ? 'unknown' : String(value);
}

/** The run's identity and setup, and what state it is in. */
export function headerSection(data: ReportData, analysis: RunAnalysis): string {
  const s = analysis.settings;
  const plugins =
    s.plugins.length === 0 ? 'unknown (no config.json)' : s.plugins.map((p) => `${p.name} ${p.version}`).join(', ');
  const partial = analysis.status.partial
    ? `<p class="notice">This run has not finished: the figures and tables cover what the journal holds so far (${analysis.generations.length} generation(s)).</p>`
    : '';
  return [
    `<header><h1>evopt run <code>${esc(data.runId)}</code></h1>`,
    `<div class="status status-${esc(analysis.status.state)}"><strong>${esc(analysis.status.state)}</strong> · ${esc(analysis.status.text)}</div>`,
    partial,
    facts([
      ['preset', s.preset ?? '(none)'],
      ['seed', orUnknown(s.seed)],
      ['tasks', s.tasks.length === 0 ? 'unknown' : s.tasks.join(', ')],
      ['population × generations', `${orUnknown(s.populationSize)} × ${orUnknown(s.generations)}`],
      ['steps × seeds', `${orUnknown(s.steps)} × ${orUnknown(s.seeds)}`],
      ['evaluator', `${orUnknown(s.evaluator)}${s.workers === null ? '' : `, ${s.workers} worker(s)`}`],
      ['baselines', s.baselineIds.length === 0 ? '(none)' : s.baselineIds.join(', ')],
      ['started', `${orUnknown(s.startedAt)}${s.resumes > 0 ? ` (resumed ${s.resumes} time(s))` : ''}`],
      ['evopt', orUnknown(s.evoptVersion)],
      ['plugins', plugins],
      ['run directory', raw(`<code>${esc(data.runDir)}</code>`)],
    ]),
    '</header>',
  ].join('\n');
}

/** What could not be read, and the journal's warnings; empty when there is nothing to say. */
export function problemsSection(data: ReportData, analysis: RunAnalysis): string {
  const skipped = data.skippedLines;
  if (skipped.length === 0 && data.problems.length === 0 && analysis.warnings.length === 0) return '';
  const parts: string[] = [];
  if (skipped.length > 0) {
    const listed = skipped
      .slice(0, MAX_LISTED_LINES)
      .map((p) => `<li>line ${p.line}: ${esc(p.reason)} <code>${esc(p.excerpt)}</code></li>`);
    const more = skipped.length > MAX_LISTED_LINES ? `<li>… and ${skipped.length - MAX_LISTED_LINES} more</li>` : '';
    parts.push(
      `<p class="skipped-lines"><strong>${skipped.length}</strong> journal line(s) of events.jsonl could not be read and were skipped; the report uses every other record.</p><ul>${listed.join('')}${more}</ul>`,
    );
  }
  if (data.problems.length > 0)
    parts.push(`<ul class="file-problems">${data.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>`);
  if (analysis.warnings.length > 0)
    parts.push(
      `<h3>Warnings in the journal</h3><ul class="warnings">${analysis.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`,
    );
  return section('problems', 'Problems reading the run', ...parts);
}
