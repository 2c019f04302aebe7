import { escapeXml } from '../format/escape.js';
import { formatTick, type NiceScale } from './scale.js';

/**
 * Okabe and Ito's colour-blind-safe palette, in an order where neighbours differ most. Yellow
 * comes last: it is the hardest to see on white.
 */
export const PALETTE: readonly string[] = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#000000',
  '#F0E442',
];

/** The colour of the i-th series; the palette repeats past its end. */
export function colorAt(index: number): string {
  return PALETTE[index % PALETTE.length] as string;
}

export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 320;
const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const FONT_SIZE = 11;
/** Average glyph width at FONT_SIZE, for laying out labels without measuring them. */
const CHAR_WIDTH = 6.8;
const TITLE_HEIGHT = 36;
const TICK_LABEL_HEIGHT = 18;
const AXIS_LABEL_HEIGHT = 16;
const LEGEND_ROW_HEIGHT = 18;
const LEGEND_SWATCH = 18;
const MIN_LABEL_WIDTH = 8 * CHAR_WIDTH;
/** The title's glyphs against the labels': 13 px and bold against 11 px. */
const TITLE_SCALE = 1.15;
const TITLE_LINE_HEIGHT = 16;
const TICK_LINE_HEIGHT = 13;

/** The plot area in pixels: x grows right, y grows down. */
export interface PlotArea {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  /** A line swatch for line series, a box for bars and areas. */
  readonly kind: 'line' | 'box';
  readonly dashed?: boolean;
}

export const DASH = '6 4';

/** Rounds pixel coordinates to keep the SVG short; a tenth of a pixel is finer than any screen. */
export function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

export function textWidth(text: string): number {
  return [...text].length * CHAR_WIDTH;
}

/** Cuts a label to fit a width, ending it with an ellipsis; `scale` for text larger than the labels. */
export function fitText(text: string, width: number, scale = 1): string {
  const chars = [...text];
  const room = Math.max(1, Math.floor(width / (CHAR_WIDTH * scale)));
  return chars.length <= room ? text : `${chars.slice(0, Math.max(1, room - 1)).join('')}…`;
}

interface LegendRow {
  readonly items: readonly { readonly item: LegendItem; readonly x: number }[];
}

function legendRows(items: readonly LegendItem[], width: number): LegendRow[] {
  const rows: { item: LegendItem; x: number }[][] = [];
  let row: { item: LegendItem; x: number }[] = [];
  let x = 0;
  for (const item of items) {
    const itemWidth = LEGEND_SWATCH + 6 + textWidth(item.label) + 16;
    if (row.length > 0 && x + itemWidth > width) {
      rows.push(row);
      row = [];
      x = 0;
    }
    row.push({ item, x });
    x += itemWidth;
  }
  if (row.length > 0) rows.push(row);
  return rows.map((items) => ({ items }));
}

export interface LayoutOptions {
  readonly title: string;
  readonly width: number;
  readonly height: number;
  readonly legend: readonly LegendItem[];
  readonly xLabel?: string | undefined;
  readonly yLabel?: string | undefined;
  /** Room on the right, for reference-line labels. */
  readonly right?: number;
  /** Lines of the tallest x tick label (category names may wrap onto two). */
  readonly xTickLines?: number;
}

export interface Layout {
  readonly plot: PlotArea;
  /** The title, wrapped onto at most two lines. */
  readonly titleLines: readonly string[];
  readonly legend: string;
}

/** The plot's left and right edges: they depend only on the width and the y label. */
export function plotSpan(width: number, yLabel?: string, right = 16): { left: number; right: number } {
  return { left: 52 + (yLabel ? AXIS_LABEL_HEIGHT : 0), right: width - right };
}

/** Breaks text into lines of at most `width` at spaces; the last line allowed ends with "…" if cut. */
export function wrapText(text: string, width: number, maxLines: number, scale = 1): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.split(' ');
  for (const [i, word] of words.entries()) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line === '' || textWidth(candidate) * scale <= width) {
      line = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) return [...lines, fitText(`${line} ${words.slice(i).join(' ')}`, width, scale)];
    lines.push(fitText(line, width, scale));
    line = word;
  }
  return [...lines, fitText(line, width, scale)];
}

/** Places the plot area so that the title, tick labels, axis labels and legend all fit. */
export function layout(options: LayoutOptions): Layout {
  const { left, right } = plotSpan(options.width, options.yLabel, options.right);
  const titleLines = wrapText(options.title, options.width - 24, 2, TITLE_SCALE);
  const top = TITLE_HEIGHT + (titleLines.length - 1) * TITLE_LINE_HEIGHT;
  const rows = legendRows(options.legend, options.width - left - 8);
  const legendHeight = rows.length * LEGEND_ROW_HEIGHT;
  const ticksHeight = TICK_LABEL_HEIGHT + ((options.xTickLines ?? 1) - 1) * TICK_LINE_HEIGHT;
  const bottom = options.height - ticksHeight - (options.xLabel ? AXIS_LABEL_HEIGHT : 0) - legendHeight - 10;
  const plot = { left, top, right, bottom: Math.max(top + 40, bottom) };
  const legendTop = options.height - legendHeight - 4;
  const legend = rows
    .map((row, r) =>
      row.items
        .map(({ item, x }) => {
          const x0 = left + x;
          const y = legendTop + r * LEGEND_ROW_HEIGHT + LEGEND_ROW_HEIGHT / 2;
          const swatch =
            item.kind === 'line'
              ? `<line x1="${px(x0)}" y1="${px(y)}" x2="${px(x0 + LEGEND_SWATCH)}" y2="${px(y)}" stroke="${item.color}" stroke-width="2.5"${item.dashed ? ` stroke-dasharray="${DASH}"` : ''}/>`
              : `<rect x="${px(x0 + 3)}" y="${px(y - 6)}" width="12" height="12" fill="${item.color}"/>`;
          return `<g class="legend-item">${swatch}<text x="${px(x0 + LEGEND_SWATCH + 6)}" y="${px(y + 4)}">${escapeXml(item.label)}</text></g>`;
        })
        .join(''),
    )
    .join('');
  return { plot, titleLines, legend: legend === '' ? '' : `<g class="legend">${legend}</g>` };
}

/** The standalone SVG document around a chart's body; `<title>` holds the whole title, uncut. */
export function svgDocument(options: {
  kind: string;
  title: string;
  titleLines: readonly string[];
  width: number;
  height: number;
  body: string;
}): string {
  const { width, height } = options;
  const lines = options.titleLines
    .map((line, i) => `<tspan x="12" dy="${i === 0 ? 0 : TITLE_LINE_HEIGHT}">${escapeXml(line)}</tspan>`)
    .join('');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" class="chart ${options.kind}" font-family="${escapeXml(FONT)}" font-size="${FONT_SIZE}">`,
    `<title>${escapeXml(options.title)}</title>`,
    `<rect class="background" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="chart-title" x="12" y="19" font-size="13" font-weight="600">${lines}</text>`,
    options.body,
    '</svg>',
  ].join('\n');
}

/** Horizontal grid lines and tick labels of a value axis, with its label turned upright. */
export function yAxis(scale: NiceScale, y: (value: number) => number, plot: PlotArea, label?: string): string {
  const ticks = scale.ticks
    .map((tick) => {
      const at = px(y(tick));
      return `<line class="grid" x1="${px(plot.left)}" y1="${at}" x2="${px(plot.right)}" y2="${at}" stroke="#e3e3e3"/><text class="tick" x="${px(plot.left - 6)}" y="${px(y(tick) + 4)}" text-anchor="end" data-value="${tick}">${escapeXml(formatTick(tick, scale.step))}</text>`;
    })
    .join('');
  const title = label
    ? `<text class="axis-label" transform="translate(14 ${px((plot.top + plot.bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(label)}</text>`
    : '';
  return `<g class="axis axis-y">${ticks}${title}</g>`;
}

/** An x tick: where, its label (one or more lines), and the whole label when that was cut. */
export interface XTick {
  readonly x: number;
  readonly lines: readonly string[];
  readonly value?: string;
  readonly fullLabel?: string;
}

/** The bottom axis line, tick labels already placed by the caller, and the axis label. */
export function xAxis(plot: PlotArea, ticks: readonly XTick[], label?: string): string {
  const marks = ticks
    .map((tick) => {
      const title =
        tick.fullLabel && tick.fullLabel !== tick.lines.join(' ') ? `<title>${escapeXml(tick.fullLabel)}</title>` : '';
      const value = tick.value === undefined ? '' : ` data-value="${escapeXml(tick.value)}"`;
      const text =
        tick.lines.length === 1
          ? escapeXml(tick.lines[0] ?? '')
          : tick.lines
              .map(
                (line, i) =>
                  `<tspan x="${px(tick.x)}" dy="${i === 0 ? 0 : TICK_LINE_HEIGHT}">${escapeXml(line)}</tspan>`,
              )
              .join('');
      return `<line x1="${px(tick.x)}" y1="${px(plot.bottom)}" x2="${px(tick.x)}" y2="${px(plot.bottom + 4)}" stroke="#888"/><text class="tick" x="${px(tick.x)}" y="${px(plot.bottom + 15)}" text-anchor="middle"${value}>${title}${text}</text>`;
    })
    .join('');
  const lines = Math.max(1, ...ticks.map((t) => t.lines.length));
  const title = label
    ? `<text class="axis-label" x="${px((plot.left + plot.right) / 2)}" y="${px(plot.bottom + TICK_LABEL_HEIGHT + (lines - 1) * TICK_LINE_HEIGHT + 13)}" text-anchor="middle">${escapeXml(label)}</text>`
    : '';
  const line = `<line class="axis-line" x1="${px(plot.left)}" y1="${px(plot.bottom)}" x2="${px(plot.right)}" y2="${px(plot.bottom)}" stroke="#888"/>`;
  return `<g class="axis axis-x">${line}${marks}${title}</g>`;
}

/**
 * Category labels along x, thinned out so that they never overlap, and wrapped onto two lines or
 * cut (with the whole name in a tooltip) when a name is wider than its room.
 */
export function categoryTicks(categories: readonly string[], center: (index: number) => number, band: number): XTick[] {
  // Thin out only as far as short labels need; long ones (task names) wrap or are cut instead.
  const widest = Math.min(MIN_LABEL_WIDTH, Math.max(0, ...categories.map(textWidth)));
  const every = Math.max(1, Math.ceil((widest + 8) / Math.max(1, band)));
  const room = Math.max(band * every - 6, textWidth('00…'));
  return categories.flatMap((category, index) =>
    index % every === 0 ? [{ x: center(index), lines: wrapText(category, room, 2), fullLabel: category }] : [],
  );
}

/** What a chart with one band per category (grouped or stacked bars) is drawn in. */
export interface CategoryFrame extends Layout {
  readonly width: number;
  readonly height: number;
  /** The width of one category's band. */
  readonly band: number;
  /** The x of category `index`'s centre. */
  readonly center: (index: number) => number;
  readonly ticks: readonly XTick[];
}

/** Bands, category labels and a layout with a box legend (one swatch per series). */
export function categoryFrame(options: {
  title: string;
  categories: readonly string[];
  series: readonly { label: string }[];
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
}): CategoryFrame {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const span = plotSpan(width, options.yLabel);
  const band = (span.right - span.left) / Math.max(1, options.categories.length);
  const center = (index: number) => span.left + band * (index + 0.5);
  const ticks = categoryTicks(options.categories, center, band);
  const framed = layout({
    title: options.title,
    width,
    height,
    legend: options.series.map((s, i) => ({ label: s.label, color: colorAt(i), kind: 'box' as const })),
    xLabel: options.xLabel,
    yLabel: options.yLabel,
    xTickLines: Math.max(1, ...ticks.map((t) => t.lines.length)),
  });
  return { ...framed, width, height, band, center, ticks };
}
