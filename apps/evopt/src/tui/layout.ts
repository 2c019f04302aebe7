import { bestLines } from './components/BestGenome.js';
import { chartLines } from './components/FitnessChart.js';
import { footerLines } from './components/Footer.js';
import { generationLines } from './components/GenerationProgress.js';
import { headerDetails } from './components/Header.js';
import type { TuiState } from './state.js';

/** How the main view uses the screen: what is shown, and how many lines each panel gets. */
export interface Layout {
  /** Chart and term mix side by side (wide terminals), else stacked. */
  readonly side: boolean;
  readonly chartWidth: number;
  readonly termsWidth: number;
  /** Lines for the term mix, its title included; 0 hides it. */
  readonly termLimit: number;
  readonly topLimit: number;
  readonly workerLimit: number;
  readonly logLimit: number;
  /** Blank lines between panels, when there is room for them. */
  readonly gaps: boolean;
}

const SIDE_BY_SIDE = 110;
const MAX_TOP = 10;
const MAX_LOG = 6;
const MAX_WORKERS = 8;
const MAX_TERMS = 7;

/**
 * Fits the live area into `rows − 1` lines: Ink redraws the whole screen, history included, once
 * its output is as tall as the terminal. The header, progress, chart, best genome and footer
 * always show; the table, workers, event log and (stacked) term mix share what is left, each
 * getting a minimum before any grows.
 */
export interface Screen {
  readonly width: number;
  readonly rows: number;
  readonly now: number;
  readonly mode: 'live' | 'watch';
  readonly stopping: boolean;
}

export function planLayout(state: TuiState, { width, rows, now, mode, stopping }: Screen): Layout {
  const adam = state.adam.fitness;
  const terms = Object.keys(state.termCounts).length;
  const side = width >= SIDE_BY_SIDE && terms > 0;
  const chartWidth = side ? Math.floor(width * 0.6) : width;
  const termsWidth = side ? width - chartWidth - 2 : width;
  const chart = chartLines(state.history, chartWidth, adam).length;
  const sideTerms = side ? Math.min(MAX_TERMS, terms) + 1 : 0;
  const fixed =
    1 +
    headerDetails(state, width, now).length +
    generationLines(state.current, state.run, width).length +
    Math.max(chart, sideTerms) +
    bestLines(state.best, adam, width).length +
    footerLines({ mode, view: 'main', width, stopping }).length;
  let left = Math.max(0, rows - 1 - fixed);
  const take = (want: number): number => {
    const got = Math.max(0, Math.min(want, left));
    left -= got;
    return got;
  };
  const workers = state.workers.size;
  const topRows = state.top.length;
  // Minimums first: a few table rows, a worker, two log lines.
  let topLimit = topRows > 0 ? take(1 + Math.min(3, topRows)) : take(1);
  let workerLimit = take(Math.min(1, workers));
  let logLimit = take(Math.min(2, state.log.length));
  topLimit += take(Math.min(MAX_TOP, topRows) + 1 - topLimit);
  workerLimit += take(Math.min(MAX_WORKERS, workers) - workerLimit);
  logLimit += take(Math.min(MAX_LOG, state.log.length) - logLimit);
  const termLimit = side ? sideTerms : terms > 0 ? take(Math.min(MAX_TERMS, terms) + 1) : 0;
  const gaps = left >= 3 && take(3) === 3;
  return {
    side,
    chartWidth,
    termsWidth,
    termLimit: termLimit >= 2 ? termLimit : 0,
    topLimit: Math.max(0, topLimit - 1),
    workerLimit,
    logLimit,
    gaps,
  };
}
