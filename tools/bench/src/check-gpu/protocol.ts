/**
 * What the check runner (runner.ts, in a child process on the backend under test) tells the
 * command (check-gpu.ts) on stdout, one JSON object a line, and the tolerances both sides use.
 */

/** One check's outcome: `figures` is the evidence (differences, counts, times), `detail` why it failed. */
export interface CheckLine {
  readonly type: 'check';
  readonly name: string;
  readonly ok: boolean;
  readonly figures: string;
  readonly detail?: string;
}

/** Nothing to check here: no GPU backend, and why. */
export interface SkipLine {
  readonly type: 'skip';
  readonly reason: string;
}

export type RunnerLine = CheckLine | SkipLine;

/** How far population training may end from training each genome alone (see populationParity). */
export interface ParityTolerance {
  readonly loss: number;
  readonly parameter: number;
  readonly buffer: number;
  /** Largest accuracy difference on the scoring batch, as a fraction. */
  readonly accuracy: number;
}

/**
 * cpu and wasm run the same kernels on a member's slice as on the model alone: the tests hold
 * them to these (plugins/vision/src/population.test.ts).
 */
export const EXACT_PARITY: ParityTolerance = { loss: 1e-4, parameter: 1e-5, buffer: 1e-5, accuracy: 0 };

/**
 * On a GPU, reductions (cuDNN's filter gradients, sums) may add in another order from one call to
 * the next, so the two ways differ by rounding that a few steps of Adam can amplify: ten times
 * the cpu tolerance, and one sample in the scoring batch. Provisional: not yet measured on a GPU.
 */
export const GPU_PARITY: ParityTolerance = { loss: 1e-3, parameter: 1e-4, buffer: 1e-4, accuracy: 1 / 16 };

/**
 * The genome optimizer's weights against the cpu backend's, relative to the largest weight:
 * elementwise float32 ops of two backends differ by a few ulps a step.
 */
export const OPTIMIZER_RTOL = 1e-5;

export function parseRunnerLine(line: string): RunnerLine | null {
  if (!line.startsWith('{')) return null;
  try {
    const value = JSON.parse(line) as Partial<RunnerLine>;
    return value.type === 'check' || value.type === 'skip' ? (value as RunnerLine) : null;
  } catch {
    return null;
  }
}
