import { escapeXml } from '../format/escape.js';
import {
  colorAt,
  DASH,
  DEFAULT_HEIGHT,
  DEFAULT_WIDTH,
  fitText,
  layout,
  px,
  svgDocument,
  textWidth,
  xAxis,
  yAxis,
  type PlotArea,
} from './frame.js';
import { formatTick, formatValue, linear, niceScale } from './scale.js';

export interface LineSeries {
  label: string;
  points: readonly { x: number; y: number }[];
  dashed?: boolean;
}

/** A horizontal line across the plot, such as a baseline optimizer's fitness. */
export interface ReferenceLine {
  label: string;
  y: number;
}

export interface LineChartOptions {
  title: string;
  series: readonly LineSeries[];
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  /** Horizontal reference lines, e.g. Adam's fitness. */
  references?: readonly ReferenceLine[];
  /** Values the y axis must cover even without data there, e.g. [0, 1] for a share. */
  yInclude?: readonly number[];
}

const REFERENCE_COLOR = '#555555';
const REFERENCE_LABEL_GAP = 12;
const MAX_REFERENCE_LABEL_WIDTH = 150;

const isFinitePoint = (p: { x: number; y: number }) => Number.isFinite(p.x) && Number.isFinite(p.y);

/** The line's path, broken wherever a point is missing (NaN, ±Infinity), so a gap shows as one. */
function pathOf(
  points: readonly { x: number; y: number }[],
  x: (v: number) => number,
  y: (v: number) => number,
): string {
  let path = '';
  let pen = false;
  for (const point of points) {
    if (!isFinitePoint(point)) {
      pen = false;
      continue;
    }
    path += `${pen ? 'L' : 'M'}${px(x(point.x))} ${px(y(point.y))}`;
    pen = true;
  }
  return path;
}

function referenceMarks(references: readonly ReferenceLine[], y: (v: number) => number, plot: PlotArea): string {
  let lastLabelY = -Infinity;
  return [...references]
    .sort((a, b) => b.y - a.y)
    .map((reference) => {
      const at = y(reference.y);
      const labelY = Math.max(at + 4, lastLabelY + REFERENCE_LABEL_GAP);
      lastLabelY = labelY;
      const text = `${reference.label} ${formatValue(reference.y)}`;
      return [
        `<g class="reference" data-label="${escapeXml(reference.label)}" data-value="${reference.y}">`,
        `<title>${escapeXml(text)}</title>`,
        `<line x1="${px(plot.left)}" y1="${px(at)}" x2="${px(plot.right)}" y2="${px(at)}" stroke="${REFERENCE_COLOR}" stroke-width="1.2" stroke-dasharray="2 3"/>`,
        `<text x="${px(plot.right + 4)}" y="${px(labelY)}" fill="${REFERENCE_COLOR}">${escapeXml(fitText(text, MAX_REFERENCE_LABEL_WIDTH))}</text>`,
        '</g>',
      ].join('');
    })
    .join('');
}

/**
 * Lines over a numeric x axis, one marker per point (`class="point"`, `data-value` = y). Missing
 * values (NaN, ±Infinity) leave a gap and no marker and never reach the scale.
 */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const references = (options.references ?? []).filter((r) => Number.isFinite(r.y));
  const labelWidth = Math.min(
    MAX_REFERENCE_LABEL_WIDTH,
    Math.max(0, ...references.map((r) => textWidth(`${r.label} ${formatValue(r.y)}`))),
  );
  const { plot, legend, titleLines } = layout({
    title: options.title,
    width,
    height,
    legend: options.series.map((s, i) => ({
      label: s.label,
      color: colorAt(i),
      kind: 'line' as const,
      ...(s.dashed && { dashed: true }),
    })),
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    ...(references.length > 0 && { right: labelWidth + 10 }),
  });
  const points = options.series.flatMap((s) => s.points.filter(isFinitePoint));
  const xs = points.map((p) => p.x);
  const xScale = niceScale(xs, { integer: xs.every(Number.isInteger), count: 8 });
  const yScale = niceScale([...points.map((p) => p.y), ...references.map((r) => r.y), ...(options.yInclude ?? [])]);
  const x = linear(xScale, plot.left, plot.right);
  const y = linear(yScale, plot.bottom, plot.top);

  const series = options.series
    .map((s, i) => {
      const color = colorAt(i);
      const path = pathOf(s.points, x, y);
      const line =
        path === ''
          ? ''
          : `<path class="line" d="${path}" fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ` stroke-dasharray="${DASH}"` : ''}/>`;
      const marks = s.points
        .filter(isFinitePoint)
        .map(
          (p) =>
            `<circle class="point" cx="${px(x(p.x))}" cy="${px(y(p.y))}" r="3" fill="${color}" data-series="${escapeXml(s.label)}" data-x="${p.x}" data-value="${p.y}"><title>${escapeXml(`${s.label} at ${p.x}: ${formatValue(p.y)}`)}</title></circle>`,
        )
        .join('');
      return `<g class="series" data-series="${escapeXml(s.label)}">${line}${marks}</g>`;
    })
    .join('');
  const empty =
    points.length === 0
      ? `<text class="no-data" x="${px((plot.left + plot.right) / 2)}" y="${px((plot.top + plot.bottom) / 2)}" text-anchor="middle" fill="#777">no data yet</text>`
      : '';
  const xTicks = xScale.ticks.map((tick) => ({
    x: x(tick),
    lines: [formatTick(tick, xScale.step)],
    value: String(tick),
  }));
  const body = [
    yAxis(yScale, y, plot, options.yLabel),
    xAxis(plot, xTicks, options.xLabel),
    referenceMarks(references, y, plot),
    `<g class="marks">${series}</g>`,
    empty,
    legend,
  ].join('\n');
  return svgDocument({ kind: 'line-chart', title: options.title, titleLines, width, height, body });
}
