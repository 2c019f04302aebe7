import { escapeXml } from '../format/escape.js';
import { categoryFrame, colorAt, px, svgDocument, xAxis, yAxis } from './frame.js';
import { formatValue, linear, niceScale } from './scale.js';

export interface StackedSeries {
  label: string;
  /** One value per category; null, NaN and negative values count as 0. */
  values: readonly (number | null)[];
}

export interface StackedBarChartOptions {
  title: string;
  categories: readonly string[];
  series: readonly StackedSeries[];
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Values the y axis must cover, e.g. [0, 1] for shares. */
  yInclude?: readonly number[];
}

const stackable = (value: number | null | undefined): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

/**
 * One bar per category, its series stacked bottom-up in the legend's order: the share of the
 * population using each primitive, per generation. Each segment is `class="segment"` with
 * `data-value`; a zero segment is not drawn.
 */
export function stackedBarChart(options: StackedBarChartOptions): string {
  const { width, height, band, center, ticks, plot, legend, titleLines } = categoryFrame(options);
  const totals = options.categories.map((_, c) => options.series.reduce((sum, s) => sum + stackable(s.values[c]), 0));
  const yScale = niceScale([0, ...totals, ...(options.yInclude ?? [])]);
  const y = linear(yScale, plot.bottom, plot.top);
  const barWidth = Math.max(1, band * 0.8);

  const columns = options.categories
    .map((category, c) => {
      let base = 0;
      const segments = options.series
        .map((s, i) => {
          const value = stackable(s.values[c]);
          if (value === 0) return '';
          const [from, to] = [y(base), y(base + value)];
          base += value;
          const label = escapeXml(`${s.label}, ${category}: ${formatValue(value)}`);
          return `<rect class="segment" x="${px(center(c) - barWidth / 2)}" y="${px(to)}" width="${px(barWidth)}" height="${px(from - to)}" fill="${colorAt(i)}" data-series="${escapeXml(s.label)}" data-category="${escapeXml(category)}" data-value="${value}"><title>${label}</title></rect>`;
        })
        .join('');
      return `<g class="column" data-category="${escapeXml(category)}" data-total="${totals[c] ?? 0}">${segments}</g>`;
    })
    .join('');
  const body = [
    yAxis(yScale, y, plot, options.yLabel),
    xAxis(plot, ticks, options.xLabel),
    `<g class="marks">${columns}</g>`,
    legend,
  ].join('\n');
  return svgDocument({ kind: 'stacked-bar-chart', title: options.title, titleLines, width, height, body });
}
