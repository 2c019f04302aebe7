import { paper } from '@evopt/core';
import { headerLines, literal, type ExportModel, type ExportPrimitive, type ExportSchedule } from './model.js';

/** Each primitive's direction over the tensors g, m, v (after bias correction) and the constant H.eps. */
const PRIMITIVES: Readonly<Record<ExportPrimitive, string>> = {
  grad: 'g',
  momentum: 'm',
  rms: 'tf.div(g, tf.add(tf.sqrt(v), H.eps))',
  adam: 'tf.div(m, tf.add(tf.sqrt(v), H.eps))',
  sign: 'tf.sign(g)',
  unit: 'tf.div(g, tf.add(tf.abs(g), H.eps))',
  nesterov: `tf.add(m, tf.mul(tf.sub(g, m), ${literal(paper.NESTEROV_LOOKAHEAD)}))`,
};

/** Each schedule's multiplier at 0-based step t of T, reading its params from S (plugins/schedules). */
const SCHEDULES: Readonly<Record<ExportSchedule, string>> = {
  constant: '1',
  warmup: 'warmupFactor(t)',
  cosine: 'cosineFactor(t, T)',
  'warmup-cosine': 'warmupFactor(t) * cosineFactor(t, T)',
  step: 'S.gamma ** Math.floor(Math.max(0, t) / Math.max(1, S.stepSize))',
  linear: '1 + (S.endFactor - 1) * progress(t, T)',
};

function object(entries: Readonly<Record<string, number | boolean | null>>): string {
  const body = Object.entries(entries).map(([k, v]) => `  ${k}: ${typeof v === 'number' ? literal(v) : String(v)},`);
  return `Object.freeze({\n${body.join('\n')}\n})`;
}

/** The per-variable update, with the genome's flags decided here rather than at run time. */
function updateLines(model: ExportModel): string[] {
  const { genome } = model;
  const lines: string[] = [];
  lines.push(genome.clip === null ? 'const g = gradient;' : 'const g = tf.minimum(tf.maximum(gradient, -H.clip), H.clip);');
  lines.push(genome.weightDecay > 0 ? 'let next = tf.mul(w, 1 - eta * H.weightDecay);' : 'let next = w;');
  if (genome.useM) {
    lines.push('const mState = tf.add(tf.mul(state.m, H.beta1), tf.mul(g, 1 - H.beta1));', 'state.m.assign(mState);');
    lines.push(genome.biasCorrection ? 'const m = tf.div(mState, 1 - H.beta1 ** (t + 1));' : 'const m = mState;');
  } else {
    lines.push('const m = g;');
  }
  if (genome.useV) {
    lines.push('const vState = tf.add(tf.mul(state.v, H.beta2), tf.mul(tf.square(g), 1 - H.beta2));', 'state.v.assign(vState);');
    lines.push(genome.biasCorrection ? 'const v = tf.div(vState, 1 - H.beta2 ** (t + 1));' : 'const v = vState;');
  } else {
    lines.push('const v = tf.square(g);');
  }
  model.terms.forEach((term, index) => {
    const contribution = `tf.mul(${PRIMITIVES[term.primitive]}, ${literal(term.alpha)})`;
    lines.push(index === 0 ? `let direction = ${contribution};` : `direction = tf.add(direction, ${contribution});`);
  });
  if (model.terms.length > 0) lines.push('next = tf.sub(next, tf.mul(direction, eta));');
  lines.push('w.assign(next);');
  return lines;
}

/**
 * The genome as one standalone ES module for TensorFlow.js: `EvolvedOptimizer extends
 * tf.Optimizer`, importing only `@tensorflow/tfjs-core`.
 */
export function generateTfjs(model: ExportModel): string {
  const { genome } = model;
  const indent = (lines: readonly string[], spaces: number) => lines.map((l) => (l ? `${' '.repeat(spaces)}${l}` : l)).join('\n');
  return `${headerLines(model).map((l) => `// ${l}`.trimEnd()).join('\n')}
//
// Usage: const optimizer = new EvolvedOptimizer(totalSteps); model.compile({ optimizer, ... })
// or optimizer.minimize(loss). Optimizer state lives in float32 tf.Variables.
import * as tf from '@tensorflow/tfjs-core';

/** The genome's hyperparameters. */
export const HYPERPARAMETERS = ${object({
    lr: genome.lr,
    beta1: genome.beta1,
    beta2: genome.beta2,
    eps: genome.eps,
    weightDecay: genome.weightDecay,
    clip: genome.clip,
    useM: genome.useM,
    useV: genome.useV,
    biasCorrection: genome.biasCorrection,
  })};
const H = HYPERPARAMETERS;

/** The learning-rate schedule "${model.schedule.id}" and its params. */
export const SCHEDULE = ${object(model.schedule.params)};
const S = SCHEDULE;

function progress(t, T) {
  if (T <= 0) return 1;
  return Math.min(1, Math.max(0, t / T));
}
function warmupFactor(t) {
  return t < S.warmupSteps ? (t + 1) / S.warmupSteps : 1;
}
function cosineFactor(t, T) {
  return 0.5 * (1 + Math.cos(Math.PI * progress(t, T)));
}

/** The schedule's multiplier of lr at 0-based step t of a T-step run. */
export function scheduleMultiplier(t, T) {
  return ${SCHEDULES[model.schedule.id]};
}

let instances = 0;

export class EvolvedOptimizer extends tf.Optimizer {
  static get className() {
    return 'EvolvedOptimizer';
  }

  /**
   * @param {number} totalSteps the run's number of steps: T of the schedule
   * @param {{ lr?: number }} [options] lr overrides the genome's learning rate
   */
  constructor(totalSteps, options = {}) {
    super();
    if (!Number.isInteger(totalSteps) || totalSteps < 1) throw new Error(\`EvolvedOptimizer needs totalSteps as a positive integer, got \${totalSteps}.\`);
    this.totalSteps = totalSteps;
    this.lr = options.lr ?? H.lr;
    this.prefix = \`evolved-optimizer-\${++instances}\`;
    this.states = new Map();
  }

  /** η at 0-based step t. */
  learningRate(t = this.iterations) {
    return this.lr * scheduleMultiplier(t, this.totalSteps);
  }

  applyGradients(variableGradients) {
    const entries = Array.isArray(variableGradients) ? variableGradients.map((n) => [n.name, n.tensor]) : Object.entries(variableGradients);
    const t = this.iterations;
    const eta = this.learningRate(t);
    tf.tidy(() => {
      for (const [name, gradient] of entries) {
        if (gradient == null) continue;
        const w = tf.engine().registeredVariables[name];
        if (!w) throw new Error(\`EvolvedOptimizer got a gradient for "\${name}", which is not a registered tf.Variable.\`);
        const state = this.stateFor(name, w);
${indent(updateLines(model), 8)}
      }
    });
    this.incrementIterations();
  }

  stateFor(name, w) {
    let state = this.states.get(name);
    if (!state) {
      const zeros = (suffix) => tf.tidy(() => tf.variable(tf.zeros(w.shape, 'float32'), false, \`\${this.prefix}/\${name}/\${suffix}\`));
      state = { m: H.useM ? zeros('m') : null, v: H.useV ? zeros('v') : null };
      this.states.set(name, state);
    }
    return state;
  }

  async getWeights() {
    const weights = [await this.saveIterations()];
    for (const [name, state] of this.states) {
      if (state.m) weights.push({ name: \`\${name}/m\`, tensor: state.m });
      if (state.v) weights.push({ name: \`\${name}/v\`, tensor: state.v });
    }
    return weights;
  }

  async setWeights(weightValues) {
    const rest = await this.extractIterations(weightValues);
    for (const { name, tensor } of rest) {
      const cut = name.lastIndexOf('/');
      const variableName = name.slice(0, cut);
      const w = tf.engine().registeredVariables[variableName];
      if (!w) throw new Error(\`EvolvedOptimizer weights name "\${variableName}", which is not a registered tf.Variable.\`);
      const slot = this.stateFor(variableName, w)[name.slice(cut + 1)];
      if (slot) tf.tidy(() => slot.assign(tf.cast(tensor, 'float32')));
    }
  }

  dispose() {
    for (const state of this.states.values()) {
      state.m?.dispose();
      state.v?.dispose();
    }
    this.states.clear();
    super.dispose();
  }

  getConfig() {
    return { totalSteps: this.totalSteps, lr: this.lr };
  }

  static fromConfig(cls, config) {
    return new cls(config.totalSteps, { lr: config.lr });
  }
}
tf.serialization.registerClass(EvolvedOptimizer);
`;
}
