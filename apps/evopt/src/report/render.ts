import { EVOPT_VERSION } from '../version.js';
import { analyzeRun } from './analyze.js';
import type { ReportData } from './data.js';
import { diversityFigure, fitnessFigure, perTaskFigure, termMixFigure } from './figures.js';
import { headerSection, problemsSection } from './header.js';
import { esc, section } from './html.js';
import { REPORT_CSS } from './style.js';
import { bestGenomeSection, evaluationsSection, generationsSection, topGenomesSection } from './tables.js';

/**
 * The run report: one self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched),
 * readable offline and attachable to a paper or a pull request. Pure: the same data gives the
 * same page.
 */
export function renderReport(data: ReportData): string {
  const analysis = analyzeRun(data);
  const hasGenerations = analysis.generations.length > 0;
  const body = [
    headerSection(data, analysis),
    problemsSection(data, analysis),
    section(
      'fitness',
      'Fitness',
      hasGenerations ? fitnessFigure(analysis) : '<p class="muted">No generation has finished yet.</p>',
    ),
    bestGenomeSection(analysis, perTaskFigure(analysis)),
    generationsSection(analysis, hasGenerations ? [termMixFigure(analysis), diversityFigure(analysis)] : []),
    topGenomesSection(analysis),
    evaluationsSection(analysis),
    `<footer>Made by evopt report (evopt ${esc(EVOPT_VERSION)}) at ${esc(data.generatedAt)} from config.json, events.jsonl, best.json and checkpoint.json.</footer>`,
  ];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>evopt report · ${esc(data.runId)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    ...body.filter((part) => part !== ''),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
