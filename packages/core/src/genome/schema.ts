import { z } from 'zod';
import { EvoptError } from '../errors.js';
import { CONTRIBUTION_ID } from '../plugin/meta.js';
import { formatZodIssues } from '../zod-format.js';

export const GENOME_SCHEMA_ID = 'evopt.genome/1';

const id = z.string().regex(CONTRIBUTION_ID, 'a contribution id such as "adam" or "my-terms/lion"');
const finite = z.number().refine(Number.isFinite, 'a finite number');

export const termSchema = z.strictObject({
  primitive: id,
  alpha: finite,
  options: z.record(z.string(), z.unknown()).optional(),
});

export const scheduleRefSchema = z.strictObject({
  id,
  params: z.record(z.string(), finite).default({}),
});

export const genomeSchema = z.strictObject({
  schema: z.literal(GENOME_SCHEMA_ID),
  terms: z.array(termSchema).min(1, 'at least one term'),
  lr: finite.refine((x) => x > 0, 'a learning rate > 0'),
  beta1: finite.refine((x) => x >= 0 && x < 1, 'β1 in [0, 1)'),
  beta2: finite.refine((x) => x >= 0 && x < 1, 'β2 in [0, 1)'),
  eps: finite.refine((x) => x > 0, 'ε > 0'),
  weightDecay: finite.refine((x) => x >= 0, 'weight decay ≥ 0'),
  useM: z.boolean(),
  useV: z.boolean(),
  biasCorrection: z.boolean(),
  clip: finite.refine((x) => x > 0, 'a clip value > 0').nullable(),
  schedule: scheduleRefSchema,
});

export type Term = z.infer<typeof termSchema>;
export type ScheduleRef = z.infer<typeof scheduleRefSchema>;
/** An optimizer: a weighted sum of primitive terms, hyperparameters and a learning-rate schedule. */
export type Genome = z.infer<typeof genomeSchema>;

/**
 * Validates unknown JSON as a genome. The error lists each problem with its JSON path, what was
 * expected and what was found; `source` (a file name) is named in the message when given.
 */
export function parseGenome(input: unknown, source = 'genome'): Genome {
  const result = genomeSchema.safeParse(input);
  if (result.success) return result.data;
  throw new EvoptError(
    'GENOME_INVALID',
    `${source} is not a valid ${GENOME_SCHEMA_ID} genome:\n${formatZodIssues(result.error.issues, input)}`,
    {
      fix: `Correct the fields listed above; docs/GENOME.md describes every field of ${GENOME_SCHEMA_ID}.`,
      details: { source, issues: result.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
    },
  );
}
