import { formatP, signed } from './checks.js';
import type { CiBaselineCheck, CiRecordCheck, CiReport } from './report.js';

/** One line of the table and the Markdown summary: a genome's two checks side by side. */
export interface CiRow {
  readonly genome: string;
  readonly fitness: string;
  readonly difference: string;
  readonly p: string;
  readonly versusBaseline: string;
  readonly recorded: string;
  readonly drift: string;
  readonly record: string;
}

export const ROW_HEADINGS = (baseline: string): CiRow => ({
  genome: 'genome',
  fitness: 'fitness',
  difference: `Δ vs ${baseline}`,
  p: 'p (worse)',
  versusBaseline: `vs ${baseline}`,
  recorded: 'recorded',
  drift: 'drift',
  record: 'record',
});

const STATUS_WORD = { pass: 'pass', regression: 'REGRESSION', unrecorded: 'unrecorded' } as const;

/** The baseline's own line first (its fitness only), then one per guarded genome. */
export function reportRows(report: CiReport): CiRow[] {
  const dash = '—';
  const baseline: CiRow = {
    genome: `${report.baseline.label} (baseline)`,
    fitness: report.baseline.fitness.toFixed(4),
    difference: dash,
    p: dash,
    versusBaseline: dash,
    recorded: dash,
    drift: dash,
    record: dash,
  };
  return [
    baseline,
    ...report.genomes.map((g): CiRow => {
      const versus = report.checks.find((c): c is CiBaselineCheck => c.kind === 'baseline' && c.genome === g.label);
      const record = report.checks.find((c): c is CiRecordCheck => c.kind === 'record' && c.genome === g.label);
      return {
        genome: g.label,
        fitness: g.fitness.toFixed(4),
        difference: versus ? signed(versus.meanDifference) : dash,
        p: versus ? formatP(versus.pValue) : dash,
        versusBaseline: versus ? STATUS_WORD[versus.status] : dash,
        recorded: record?.recorded != null ? record.recorded.toFixed(4) : dash,
        drift: record?.drift != null ? signed(record.drift) : dash,
        record: record ? STATUS_WORD[record.status] : dash,
      };
    }),
  ];
}

/** "2 guarded genomes vs adam on testing/quadratic, 200 steps × 5 seeds, tolerance 0.02, alpha 0.05". */
export function describeSettings(report: CiReport): string {
  const s = report.settings;
  const n = report.genomes.length;
  return `${n} guarded genome${n === 1 ? '' : 's'} vs ${s.baseline} on ${s.tasks.join(', ')}, ${s.steps} steps × ${s.seeds} seeds (seed ${s.seed}), tolerance ${s.tolerance}, alpha ${s.alpha}`;
}

/** "4 checks: 3 passed, 1 regression, 0 unrecorded". */
export function describeCounts(report: CiReport): string {
  const c = report.counts;
  return `${c.checks} checks: ${c.passed} passed, ${c.regressions} regression${c.regressions === 1 ? '' : 's'}, ${c.unrecorded} unrecorded`;
}

/** The table's columns, in order, for the terminal and the Markdown summary alike. */
export const COLUMNS: readonly (keyof CiRow)[] = [
  'genome',
  'fitness',
  'difference',
  'p',
  'versusBaseline',
  'recorded',
  'drift',
  'record',
];

/** Columns of numbers, right-aligned in both. */
export const NUMERIC: ReadonlySet<keyof CiRow> = new Set<keyof CiRow>([
  'fitness',
  'difference',
  'p',
  'recorded',
  'drift',
]);
