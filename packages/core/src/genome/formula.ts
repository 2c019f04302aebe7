import type { PrimitiveDefinition, ScheduleDefinition } from '../plugin/contracts.js';
import type { ReadonlyRegistry } from '../registry/registry.js';
import type { Genome, Term } from './schema.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- registries hold contributions of any options type */
export interface FormulaLookups {
  readonly primitives: ReadonlyRegistry<PrimitiveDefinition<any>>;
  readonly schedules?: ReadonlyRegistry<ScheduleDefinition>;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** α as the paper prints it: two decimals, or two significant digits when that would show 0.00. */
export function formatAlpha(alpha: number): string {
  const magnitude = Math.abs(alpha);
  return magnitude >= 0.005 || magnitude === 0 ? magnitude.toFixed(2) : magnitude.toPrecision(2);
}

/** Within this of ±1, a number shows the significant digits of its distance to 1 instead. */
const NEAR_ONE = 0.05;

/**
 * A genome's number in the compact style of every screen and file that shows one: 0.0012 →
 * "1.2e-3", 0.855 → "0.855". Near 1 (β1, β2) three significant digits would all be 9s or round
 * to 1, so there the distance to 1 keeps two: 0.9996 → "0.9996", 0.99987 → "0.99987", and
 * 1 − 1e-9 → "0.999999999", never "1".
 */
export function formatNumber(value: number): string {
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  const fromOne = Math.abs(1 - magnitude);
  if (fromOne > 0 && fromOne < NEAR_ONE) {
    const decimals = Math.min(100, 1 - Math.floor(Math.log10(fromOne)));
    return String(Number(value.toFixed(decimals)));
  }
  if (magnitude >= 0.01 && magnitude < 1000) return String(Number(value.toPrecision(3)));
  const [mantissa, exponent] = value.toExponential(1).split('e') as [string, string];
  return `${mantissa.replace(/\.0$/, '')}e${exponent.replace('+', '')}`;
}

/** True when the formula has a + or − outside parentheses, so α must wrap it. */
function needsParentheses(formula: string): boolean {
  let depth = 0;
  for (const ch of formula) {
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0 && (ch === '+' || ch === '−' || ch === '-')) return true;
  }
  return false;
}

function termFormula(term: Term, primitives: FormulaLookups['primitives']): string {
  if (!primitives.has(term.primitive)) return term.primitive;
  const definition = primitives.get(term.primitive);
  const options = definition.meta.options ? definition.meta.options.parse(term.options ?? {}) : {};
  const text = definition.create(options).formula;
  return needsParentheses(text) ? `(${text})` : text;
}

/**
 * The update direction as a formula, e.g. "0.73·sign(g) + 3.64·m/(√v+ε)". Terms keep their order;
 * canonicalize first to get the simplest form.
 */
export function renderFormula(genome: Genome, lookups: FormulaLookups): string {
  if (genome.terms.length === 0) return '0';
  return genome.terms
    .map((term, index) => {
      const sign = term.alpha < 0 ? (index === 0 ? '−' : ' − ') : index === 0 ? '' : ' + ';
      return `${sign}${formatAlpha(term.alpha)}·${termFormula(term, lookups.primitives)}`;
    })
    .join('');
}

/** The schedule in words: "warmup-cosine(warmupSteps=100)". */
export function renderSchedule(genome: Genome): string {
  const params = Object.entries(genome.schedule.params);
  return params.length === 0
    ? genome.schedule.id
    : `${genome.schedule.id}(${params.map(([k, v]) => `${k}=${formatNumber(v)}`).join(', ')})`;
}

/** Hyperparameters on one line: "lr 1.2e-3 · β1 0.855 · β2 0.936 · ε 5.4e-9 · wd 9.7e-4 · no bias correction · warmup-cosine(…)". */
export function renderHyperparameters(genome: Genome): string {
  const parts = [
    `lr ${formatNumber(genome.lr)}`,
    genome.useM ? `β1 ${formatNumber(genome.beta1)}` : 'no m',
    genome.useV ? `β2 ${formatNumber(genome.beta2)}` : 'no v',
    `ε ${formatNumber(genome.eps)}`,
    `wd ${formatNumber(genome.weightDecay)}`,
    genome.biasCorrection ? 'bias correction' : 'no bias correction',
    ...(genome.clip === null ? [] : [`clip ±${formatNumber(genome.clip)}`]),
    renderSchedule(genome),
  ];
  return parts.join(' · ');
}
