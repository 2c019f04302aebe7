// The chart module's public face: hand-written SVG charts for reports (no charting library, no
// scripts). Every chart is a standalone <svg> with a <title>, axes with 1-2-5 ticks, a legend, and
// data marks that carry a class and a data-value, so tests and readers can find the numbers.
export { lineChart, type LineChartOptions, type LineSeries, type ReferenceLine } from './line-chart.js';
export { barChart, type BarChartOptions, type BarSeries } from './bar-chart.js';
export { stackedBarChart, type StackedBarChartOptions, type StackedSeries } from './stacked-bar-chart.js';
export { PALETTE, colorAt } from './frame.js';
export { niceScale, formatValue, type NiceScale, type NiceScaleOptions } from './scale.js';
