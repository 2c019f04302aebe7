import {
  canonicalize,
  EvoptError,
  genomeHash,
  renderFormula,
  renderHyperparameters,
  type FormulaLookups,
  type Genome,
} from '@evopt/core';

/** The primitives an export can write code for: the built-in ones (plugins/primitives). */
export const EXPORT_PRIMITIVES = [
  'grad',
  'momentum',
  'rms',
  'adam',
  'sign',
  'unit',
  'nesterov',
  'sign-m',
  'lion',
  'powersign',
  'addsign',
  'adabelief',
] as const;
export type ExportPrimitive = (typeof EXPORT_PRIMITIVES)[number];

/** A term of the canonical genome, with what the code generators need to write it. */
export interface ExportTerm {
  readonly primitive: ExportPrimitive;
  readonly alpha: number;
  /** The primitive's options with their defaults filled in (lion's beta). */
  readonly options: Readonly<Record<string, unknown>>;
  /** The term's state slots, as the primitive declares them: the generated code keeps each per parameter. */
  readonly slots: readonly { readonly name: string; readonly init: number }[];
}

/** The schedules an export can write code for: the built-in ones (plugins/schedules). */
export const EXPORT_SCHEDULES = ['constant', 'warmup', 'cosine', 'warmup-cosine', 'step', 'linear'] as const;
export type ExportSchedule = (typeof EXPORT_SCHEDULES)[number];

/** The params each exported schedule's code reads; canonicalize fills their defaults from the registry. */
const SCHEDULE_PARAMS: Readonly<Record<ExportSchedule, readonly string[]>> = {
  constant: [],
  warmup: ['warmupSteps'],
  cosine: [],
  'warmup-cosine': ['warmupSteps'],
  step: ['stepSize', 'gamma'],
  linear: ['endFactor'],
};

/** Where export looks up primitives (for canonical forms and formulas) and schedules (for param defaults). */
export type ExportLookups = Required<FormulaLookups>;

/** A genome ready for code generation: canonical, checked against what export supports, with its text forms. */
export interface ExportModel {
  readonly genome: Genome;
  readonly terms: readonly ExportTerm[];
  readonly schedule: { readonly id: ExportSchedule; readonly params: Readonly<Record<string, number>> };
  readonly hash: string;
  /** The simplified update direction, e.g. "0.73·sign(g) + 3.63·m/(√v+ε)". */
  readonly formula: string;
  /** Hyperparameters on one line, as the TUI shows them. */
  readonly hyperparameters: string;
}

const isPrimitive = (id: string): id is ExportPrimitive => (EXPORT_PRIMITIVES as readonly string[]).includes(id);
const isSchedule = (id: string): id is ExportSchedule => (EXPORT_SCHEDULES as readonly string[]).includes(id);

/**
 * Canonicalizes a genome and checks that export has code for each primitive and the schedule.
 * The generated code runs the canonical form, which computes the same update as the original.
 */
export function exportModel(original: Genome, lookups: ExportLookups): ExportModel {
  const genome = canonicalize(original, lookups);
  const unsupportedPrimitives = [...new Set(genome.terms.map((t) => t.primitive).filter((id) => !isPrimitive(id)))];
  if (unsupportedPrimitives.length > 0) {
    throw new EvoptError(
      'GENOME_INVALID',
      `Cannot export primitive${unsupportedPrimitives.length > 1 ? 's' : ''} ${unsupportedPrimitives.map((id) => `"${id}"`).join(', ')}: export writes code only for the built-in primitives (${EXPORT_PRIMITIVES.join(', ')}).`,
      {
        fix: 'Replace the term with a built-in primitive, or use the genome through evopt itself (@evopt/tfjs createGenomeOptimizer).',
        details: { unsupported: unsupportedPrimitives, supported: [...EXPORT_PRIMITIVES] },
      },
    );
  }
  const scheduleId = genome.schedule.id;
  if (!isSchedule(scheduleId)) {
    throw new EvoptError(
      'GENOME_INVALID',
      `Cannot export schedule "${scheduleId}": export writes code only for the built-in schedules (${EXPORT_SCHEDULES.join(', ')}).`,
      {
        fix: 'Use a built-in schedule, or use the genome through evopt itself (@evopt/tfjs createGenomeOptimizer).',
        details: { unsupported: [scheduleId], supported: [...EXPORT_SCHEDULES] },
      },
    );
  }
  const missing = SCHEDULE_PARAMS[scheduleId].filter((name) => genome.schedule.params[name] === undefined);
  if (missing.length > 0) {
    throw new EvoptError(
      'GENOME_INVALID',
      `Schedule "${scheduleId}" lacks param${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, and no schedules plugin supplied a default.`,
      {
        fix: `Set schedule.params.${missing[0] ?? ''} in the genome, or load @evopt/plugin-schedules.`,
        details: { schedule: scheduleId, missing },
      },
    );
  }
  return {
    genome,
    terms: genome.terms.map((t) => exportTerm(t, lookups)),
    schedule: { id: scheduleId, params: genome.schedule.params },
    hash: genomeHash(original, lookups),
    formula: renderFormula(genome, lookups),
    hyperparameters: renderHyperparameters(genome),
  };
}

/** A canonical term with its options' defaults and its state slots, from the primitive itself. */
function exportTerm(term: Genome['terms'][number], lookups: ExportLookups): ExportTerm {
  const definition = lookups.primitives.get(term.primitive);
  const options = (definition.meta.options ? definition.meta.options.parse(term.options ?? {}) : {}) as Readonly<
    Record<string, unknown>
  >;
  const slots = (definition.create(options).state ?? []).map(({ name, init }) => ({ name, init }));
  return { primitive: term.primitive as ExportPrimitive, alpha: term.alpha, options, slots };
}

/** A numeric option of a term (defaults are filled in, so a missing one is a bug in export). */
export function numberOption(term: ExportTerm, name: string): number {
  const value = term.options[name];
  if (typeof value !== 'number')
    throw new EvoptError(
      'INTERNAL',
      `Export expected the option "${name}" of primitive "${term.primitive}" to be a number, got ${JSON.stringify(value)}.`,
    );
  return value;
}

/** Where a term's state slot lives in the generated optimizer's per-parameter state, e.g. "term0.s". */
export function slotKey(termIndex: number, slot: string): string {
  return `term${termIndex}.${slot}`;
}

/** Every state slot of the model's terms, in term order: key and initial value. */
export function stateSlots(model: ExportModel): { readonly key: string; readonly init: number }[] {
  return model.terms.flatMap((term, index) =>
    term.slots.map((slot) => ({ key: slotKey(index, slot.name), init: slot.init })),
  );
}

/** A number as a literal that JavaScript and Python both read back exactly. */
export function literal(value: number): string {
  const text = String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/** The comment lines at the top of every generated file. */
export function headerLines(model: ExportModel): string[] {
  return [
    `Evolved optimizer ${model.hash}, exported by evopt.`,
    '',
    `  update: w ← w − η·(${model.formula})`,
    `  ${model.hyperparameters}`,
    '',
    `Each step t (0-based): clip g → w·(1 − η·wd) → m, v EMAs → bias correction → ${stateSlots(model).length > 0 ? "the terms' state → " : ''}w − η·Σ αₖ·Tₖ,`,
    "with η = lr × the schedule multiplier at t (totalSteps is the schedule's T).",
  ];
}

/** How a target's term code names a state slot: its previous value and this step's (a local). */
export interface SlotNames {
  readonly previous: (slot: string) => string;
  readonly next: (slot: string) => string;
}

/**
 * A term as code over g, m, v (after bias correction) and ε: its direction, and for each of its
 * state slots the expression of the new value. Every slot is computed from the previous state
 * before any is stored, as evopt updates them.
 */
export interface TermCode {
  readonly slots?: Readonly<Record<string, string>>;
  readonly direction: string;
}
