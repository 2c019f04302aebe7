import { escapeXml } from '../format/escape.js';
import { categoryFrame, colorAt, px, svgDocument, xAxis, yAxis } from './frame.js';
import { formatValue, linear, niceScale } from './scale.js';

export interface BarSeries {
  label: string;
  values: readonly (number | null)[];
  /** Lower ends of error bars, by category (e.g. a 95% CI); drawn where both ends are finite. */
  low?: readonly (number | null)[];
  high?: readonly (number | null)[];
}

export interface BarChartOptions {
  title: string;
  categories: readonly string[];
  series: readonly BarSeries[];
  yLabel?: string;
  width?: number;
  height?: number;
}

/** The room a category keeps empty on either side of its bars, as a share of its width. */
const CATEGORY_PADDING = 0.2;
/** Bars at least this wide say "n/a" where a value is missing; narrower ones show a dash. */
const MISSING_LABEL_WIDTH = 16;

const finiteOrNull = (value: number | null | undefined): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/**
 * Grouped bars per category, optional error bars (low/high, e.g. a 95% CI). Bars grow from zero
 * (`class="bar"`, `data-value`); a missing value (null, NaN, ±Infinity) draws a dash instead.
 */
export function barChart(options: BarChartOptions): string {
  const { width, height, band, ticks, plot, legend, titleLines } = categoryFrame(options);
  const all = options.series.flatMap((s) => [...s.values, ...(s.low ?? []), ...(s.high ?? [])]);
  const yScale = niceScale([0, ...all]);
  const y = linear(yScale, plot.bottom, plot.top);
  const zero = y(0);
  const barWidth = (band * (1 - CATEGORY_PADDING)) / Math.max(1, options.series.length);

  const marks = options.series
    .map((s, i) => {
      const color = colorAt(i);
      const bars = options.categories
        .map((category, c) => {
          const x = plot.left + band * c + (band * CATEGORY_PADDING) / 2 + barWidth * i;
          const value = finiteOrNull(s.values[c]);
          const label = escapeXml(`${s.label}, ${category}: ${value === null ? 'no value' : formatValue(value)}`);
          if (value === null) {
            const mark = barWidth >= MISSING_LABEL_WIDTH ? 'n/a' : '–';
            return `<text class="missing" x="${px(x + barWidth / 2)}" y="${px(zero - 4)}" text-anchor="middle" font-size="9" fill="#666" data-series="${escapeXml(s.label)}" data-category="${escapeXml(category)}"><title>${label}</title>${mark}</text>`;
          }
          const top = Math.min(y(value), zero);
          const bar = `<rect class="bar" x="${px(x)}" y="${px(top)}" width="${px(Math.max(1, barWidth - 1))}" height="${px(Math.abs(y(value) - zero))}" fill="${color}" data-series="${escapeXml(s.label)}" data-category="${escapeXml(category)}" data-value="${value}"><title>${label}</title></rect>`;
          return (
            bar +
            errorBar(
              finiteOrNull(s.low?.[c]),
              finiteOrNull(s.high?.[c]),
              x + barWidth / 2,
              Math.min(6, barWidth / 3),
              y,
            )
          );
        })
        .join('');
      return `<g class="series" data-series="${escapeXml(s.label)}">${bars}</g>`;
    })
    .join('');
  const zeroLine = `<line class="zero" x1="${px(plot.left)}" y1="${px(zero)}" x2="${px(plot.right)}" y2="${px(zero)}" stroke="#888"/>`;
  const body = [
    yAxis(yScale, y, plot, options.yLabel),
    xAxis(plot, ticks),
    `<g class="marks">${marks}</g>`,
    zeroLine,
    legend,
  ].join('\n');
  return svgDocument({ kind: 'bar-chart', title: options.title, titleLines, width, height, body });
}

function errorBar(low: number | null, high: number | null, x: number, cap: number, y: (v: number) => number): string {
  if (low === null || high === null) return '';
  const [top, bottom] = [y(Math.max(low, high)), y(Math.min(low, high))];
  return [
    `<g class="error-bar" data-low="${low}" data-high="${high}" stroke="#222" stroke-width="1.2">`,
    `<line x1="${px(x)}" y1="${px(top)}" x2="${px(x)}" y2="${px(bottom)}"/>`,
    `<line x1="${px(x - cap)}" y1="${px(top)}" x2="${px(x + cap)}" y2="${px(top)}"/>`,
    `<line x1="${px(x - cap)}" y1="${px(bottom)}" x2="${px(x + cap)}" y2="${px(bottom)}"/>`,
    '</g>',
  ].join('');
}
