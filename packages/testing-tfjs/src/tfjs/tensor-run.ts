import * as tf from '@tensorflow/tfjs-core';
import type { ElementwiseOps, PrimitiveTerm } from '@evopt/core';
import { initialState, populationMembers, stepTerm, type Member, type ScalarInputs } from '@evopt/testing/kit';
import { float32Ops } from './float32-ops.js';

/** A parameter as an optimizer updates it: one genome's tensor (constants as numbers), or a population's stack. */
export interface TensorCase {
  readonly shape: readonly number[];
  /** Stacked on a leading population axis, with ε, β1, β2 as [P, 1, …] tensors; else one genome with numbers. */
  readonly population: boolean;
}

/** What GenomeOptimizer (one genome) and PopulationGenomeOptimizer (a stack) run primitives on. */
export const TENSOR_CASES: readonly TensorCase[] = [
  { shape: [7], population: false },
  { shape: [2, 3, 4], population: false },
  { shape: [3, 5], population: true },
  { shape: [2, 2, 3], population: true },
];

export const TENSOR_STEPS = 2;

export const caseText = ({ shape, population }: TensorCase): string => {
  const dims = `[${shape.join(', ')}]`;
  if (!population) return `a tensor ${dims} with ε, β1, β2 as numbers`;
  return `a population ${dims} with ε, β1, β2 as [${[shape[0], ...shape.slice(1).map(() => 1)].join(', ')}] tensors`;
};

/** The case's members at `step`: one for a single genome, P for a population. */
export function caseMembers({ shape, population }: TensorCase, step: number): Member[] {
  return populationMembers(population ? shape : [1, ...shape], step + 20);
}

/** What one result of a step (apply's output, or a state slot's new value) was, read before it was disposed. */
export interface ReadResult {
  /** "apply" or `state slot "s"`. */
  readonly name: string;
  readonly isTensor: boolean;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly data: Float32Array | null;
  readonly description: string;
}

export interface TensorRun {
  /** results[step]: apply's output first, then each state slot. */
  readonly results: readonly (readonly ReadResult[])[];
  /** Inputs (g, m, v, ε, β1, β2, previous state) that the term disposed. */
  readonly disposedInputs: readonly string[];
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
}

function read(name: string, value: unknown): ReadResult {
  if (!(value instanceof tf.Tensor))
    return { name, isTensor: false, shape: [], dtype: '', data: null, description: String(value) };
  const shape = `[${value.shape.join(', ')}]`;
  if (value.isDisposed)
    return {
      name,
      isTensor: true,
      shape: value.shape,
      dtype: value.dtype,
      data: null,
      description: `a disposed ${value.dtype} tensor ${shape}`,
    };
  return {
    name,
    isTensor: true,
    shape: value.shape,
    dtype: value.dtype,
    data: value.dataSync() as Float32Array,
    description: `a ${value.dtype} tensor ${shape}`,
  };
}

/**
 * Runs `term` for {@link TENSOR_STEPS} steps on tensors with the optimizer's tensor ops, as the
 * optimizers do: each step inside tf.tidy, keeping only the output and the state slots' new
 * values. Everything is disposed at the end, and the tensor count compared with the one before
 * the term was created.
 */
export function runOnTensors(
  create: () => PrimitiveTerm,
  ops: ElementwiseOps<tf.Tensor>,
  tensorCase: TensorCase,
): TensorRun {
  const tensorsBefore = tf.memory().numTensors;
  const term = create();
  const { shape, population } = tensorCase;
  const constantShape = [shape[0] as number, ...shape.slice(1).map(() => 1)];
  const owned = new Set<tf.Tensor>();
  const own = <T>(value: T): T => {
    if (value instanceof tf.Tensor) owned.add(value);
    return value;
  };
  const results: ReadResult[][] = [];
  const disposedInputs = new Set<string>();
  try {
    let state: Record<string, tf.Tensor> | undefined;
    for (let step = 0; step < TENSOR_STEPS; step++) {
      const list = caseMembers(tensorCase, step);
      const column = (key: 'g' | 'm' | 'v') =>
        own(
          tf.tensor(
            list.flatMap((m) => m.elements.map((x) => x[key])),
            [...shape],
            'float32',
          ),
        );
      const constant = (key: 'eps' | 'beta1' | 'beta2') =>
        population
          ? own(
              tf.tensor(
                list.map((m) => m.constants[key]),
                constantShape,
                'float32',
              ),
            )
          : (list[0] as Member).constants[key];
      const inputs = {
        g: column('g'),
        m: column('m'),
        v: column('v'),
        eps: constant('eps'),
        beta1: constant('beta1'),
        beta2: constant('beta2'),
        step,
      };
      state ??= tf.tidy(() => initialState(term, ops, inputs.g));
      for (const value of Object.values(state)) own(value);
      const previous: Record<string, tf.Tensor> = state;
      const next = tf.tidy(() => {
        const { output, state: updated } = stepTerm(term, ops, inputs, previous);
        return {
          output,
          ...Object.fromEntries(Object.entries(updated).map(([name, value]) => [`state:${name}`, value])),
        };
      }) as Record<string, unknown>;
      for (const value of Object.values(next)) own(value);
      results.push([
        read('apply', next['output']),
        ...Object.entries(next)
          .filter(([k]) => k !== 'output')
          .map(([k, v]) => read(`state slot "${k.slice('state:'.length)}"`, v)),
      ]);
      const watched: [string, unknown][] = [
        ...Object.entries(inputs),
        ...Object.entries(previous).map(([k, v]): [string, unknown] => [`state slot "${k}" (previous value)`, v]),
      ];
      for (const [name, value] of watched) if (value instanceof tf.Tensor && value.isDisposed) disposedInputs.add(name);
      state = Object.fromEntries(
        Object.entries(next)
          .filter(([k]) => k.startsWith('state:'))
          .map(([k, v]) => [k.slice('state:'.length), v as tf.Tensor]),
      );
    }
  } finally {
    for (const tensor of owned) tensor.dispose();
  }
  return { results, disposedInputs: [...disposedInputs], tensorsBefore, tensorsAfter: tf.memory().numTensors };
}

/** Each member's reference outputs, step by step: the term alone on float32-rounded numbers, element by element. */
export function referenceRun(create: () => PrimitiveTerm, tensorCase: TensorCase): number[][] {
  const steps = Array.from({ length: TENSOR_STEPS }, (_, step) => caseMembers(tensorCase, step));
  const perElement = (steps[0] ?? []).flatMap((member, p) => member.elements.map((_, k) => ({ p, k })));
  const outputs = steps.map(() => new Array<number>(perElement.length));
  for (const [index, { p, k }] of perElement.entries()) {
    const term = create();
    let state: Record<string, number> | undefined;
    for (const [step, list] of steps.entries()) {
      const member = list[p] as Member;
      const x = member.elements[k] as ScalarInputs;
      const f = Math.fround;
      state ??= initialState(term, float32Ops, f(x.g));
      const result = stepTerm(term, float32Ops, { g: f(x.g), m: f(x.m), v: f(x.v), ...member.constants, step }, state);
      (outputs[step] as number[])[index] = result.output;
      state = result.state;
    }
  }
  return outputs;
}
