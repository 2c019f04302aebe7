/**
 * Relative change against a reference (a baseline's fitness, usually Adam's), computed and printed
 * one way everywhere: the TUI, the plain printer, summary.md, the HTML report and `evopt compare`.
 */

/**
 * The change of `value` against `reference` in percent: +2 means 2% higher. It divides by
 * |reference|, so a value above a negative reference (a diverged baseline scores −1) is still a
 * rise. NaN when either is not finite or the reference is 0.
 */
export function relativeChange(value: number, reference: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(reference) || reference === 0) return Number.NaN;
  return ((value - reference) / Math.abs(reference)) * 100;
}

/**
 * A change in percent as text, always signed: "+3.1%", "-0.4%". The sign is the exact change's,
 * so a small loss that rounds to zero reads "-0.0%", never as a gain. Null when it is not finite.
 */
export function formatChange(percent: number | null | undefined, digits = 1): string | null {
  if (percent === null || percent === undefined || !Number.isFinite(percent)) return null;
  return `${percent < 0 ? '-' : '+'}${Math.abs(percent).toFixed(digits)}%`;
}

/** `formatChange(relativeChange(value, reference))`: "+3.1%", or null when it is undefined. */
export function percentVs(value: number, reference: number | null | undefined, digits = 1): string | null {
  return reference === null || reference === undefined ? null : formatChange(relativeChange(value, reference), digits);
}
