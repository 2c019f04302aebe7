/** A linear axis: its domain after rounding out to whole ticks, and the ticks themselves. */
export interface NiceScale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly ticks: readonly number[];
}

export interface NiceScaleOptions {
  /** About how many intervals to aim for. */
  readonly count?: number;
  /** Ticks at whole numbers only (generations). */
  readonly integer?: boolean;
}

const DEFAULT_TICK_COUNT = 5;

/** The finite values among these; NaN, ±Infinity and null never reach a scale. */
export function finiteValues(values: Iterable<number | null | undefined>): number[] {
  const out: number[] = [];
  for (const value of values) if (typeof value === 'number' && Number.isFinite(value)) out.push(value);
  return out;
}

/** Removes float noise such as 0.30000000000000004 from a multiple of the step. */
function snap(value: number, step: number): number {
  const snapped = Math.round(value / step) * step;
  return Number(snapped.toPrecision(12)) || 0;
}

function niceStep(span: number, count: number, integer: boolean): number {
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  const factor = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
  const step = factor * magnitude;
  return integer ? Math.max(1, Math.round(step)) : step;
}

/**
 * A domain covering every finite value, widened to multiples of a 1-2-5 step, and its ticks. With
 * no finite value the domain is [0, 1]; a single value gets room on both sides.
 */
export function niceScale(values: Iterable<number | null | undefined>, options: NiceScaleOptions = {}): NiceScale {
  const finite = finiteValues(values);
  const integer = options.integer ?? false;
  let low = finite.length === 0 ? 0 : Math.min(...finite);
  let high = finite.length === 0 ? 1 : Math.max(...finite);
  if (low === high) {
    const pad = integer ? 1 : Math.abs(low) * 0.1 || 1;
    low -= pad;
    high += pad;
  }
  const step = niceStep(high - low, options.count ?? DEFAULT_TICK_COUNT, integer);
  const min = snap(Math.floor(low / step) * step, step);
  const max = snap(Math.ceil(high / step) * step, step);
  const ticks: number[] = [];
  for (let i = 0; min + i * step <= max + step / 2; i++) ticks.push(snap(min + i * step, step));
  return { min, max, step, ticks };
}

/** Maps a domain linearly onto a pixel range (either direction). */
export function linear(
  domain: { readonly min: number; readonly max: number },
  from: number,
  to: number,
): (value: number) => number {
  const span = domain.max - domain.min || 1;
  return (value) => from + ((value - domain.min) / span) * (to - from);
}

/** A tick label with as many decimals as the step needs, never "-0". */
export function formatTick(value: number, step: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || step < 1e-4)
    return value.toExponential(Math.max(0, Math.min(6, Math.round(Math.log10(magnitude) - Math.log10(step)))));
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return value.toFixed(decimals);
}

/** A value for a tooltip or a data attribute: full precision for data-*, 4 significant digits for people. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e6)
    ? value.toExponential(3)
    : String(Number(value.toPrecision(4)));
}
