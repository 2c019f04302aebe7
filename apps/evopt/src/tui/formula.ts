import { formatAlpha, type Genome } from '@evopt/core';

/** Renders a genome's update direction; the run's registries know each primitive's formula. */
export type FormulaOf = (genome: Genome) => string;

/**
 * The update direction without the registries (`evopt watch` before the run's plugins load, or when
 * they cannot): primitive ids instead of their formulas, e.g. "0.40·sign + 1.30·nesterov".
 */
export function plainFormula(genome: Genome): string {
  if (genome.terms.length === 0) return '0';
  return genome.terms
    .map((term, index) => {
      const sign = term.alpha < 0 ? (index === 0 ? '−' : ' − ') : index === 0 ? '' : ' + ';
      return `${sign}${formatAlpha(term.alpha)}·${term.primitive}`;
    })
    .join('');
}

/** The formula an event carried, else the registries' rendering, else the plain one. */
export function formulaFor(known: string | null | undefined, genome: Genome, formulaOf: FormulaOf | undefined): string {
  if (known) return known;
  try {
    return formulaOf ? formulaOf(genome) : plainFormula(genome);
  } catch {
    // A primitive the loaded plugins do not know (the run used another version): show its id.
    return plainFormula(genome);
  }
}
