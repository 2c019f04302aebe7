import { paper } from '@evopt/core';
import {
  headerLines,
  literal,
  numberOption,
  slotKey,
  stateSlots,
  type ExportModel,
  type ExportPrimitive,
  type ExportSchedule,
  type ExportTerm,
  type SlotNames,
  type TermCode,
} from './model.js';

const PRIMITIVES: Readonly<Record<ExportPrimitive, (term: ExportTerm, names: SlotNames) => TermCode>> = {
  grad: () => ({ direction: 'g' }),
  momentum: () => ({ direction: 'm' }),
  rms: () => ({ direction: 'tf.div(g, tf.add(tf.sqrt(v), H.eps))' }),
  adam: () => ({ direction: 'tf.div(m, tf.add(tf.sqrt(v), H.eps))' }),
  sign: () => ({ direction: 'tf.sign(g)' }),
  unit: () => ({ direction: 'tf.div(g, tf.add(tf.abs(g), H.eps))' }),
  nesterov: () => ({ direction: `tf.add(m, tf.mul(tf.sub(g, m), ${literal(paper.NESTEROV_LOOKAHEAD)}))` }),
  'sign-m': () => ({ direction: 'tf.sign(m)' }),
  lion: (term) => {
    const beta = numberOption(term, 'beta');
    return { direction: `tf.sign(tf.add(tf.mul(m, ${literal(beta)}), tf.mul(g, ${literal(1 - beta)})))` };
  },
  powersign: () => ({ direction: 'tf.mul(tf.exp(tf.mul(tf.sign(g), tf.sign(m))), g)' }),
  addsign: () => ({ direction: 'tf.mul(tf.add(tf.mul(tf.sign(g), tf.sign(m)), 1), g)' }),
  // ema: the uncorrected EMA_β1(g); s: EMA_β2((g − ema)²) + ε, bias-corrected in the direction.
  adabelief: (_term, { previous, next }) => ({
    slots: {
      ema: `tf.add(tf.mul(${previous('ema')}, H.beta1), tf.mul(g, 1 - H.beta1))`,
      s: `tf.add(tf.add(tf.mul(${previous('s')}, H.beta2), tf.mul(tf.square(tf.sub(g, ${next('ema')})), 1 - H.beta2)), H.eps)`,
    },
    direction: `tf.div(m, tf.add(tf.sqrt(tf.div(${next('s')}, 1 - H.beta2 ** (t + 1))), H.eps))`,
  }),
};

/** The local holding this step's value of a slot, e.g. term0_s. */
const local = (termIndex: number, slot: string): string => `term${termIndex}_${slot.replace(/[^A-Za-z0-9_]/g, '_')}`;

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
  lines.push(
    genome.clip === null ? 'const g = gradient;' : 'const g = tf.minimum(tf.maximum(gradient, -H.clip), H.clip);',
  );
  lines.push(genome.weightDecay > 0 ? 'let next = tf.mul(w, 1 - eta * H.weightDecay);' : 'let next = w;');
  if (genome.useM) {
    lines.push('const mState = tf.add(tf.mul(state.m, H.beta1), tf.mul(g, 1 - H.beta1));', 'state.m.assign(mState);');
    lines.push(genome.biasCorrection ? 'const m = tf.div(mState, 1 - H.beta1 ** (t + 1));' : 'const m = mState;');
  } else {
    lines.push('const m = g;');
  }
  if (genome.useV) {
    lines.push(
      'const vState = tf.add(tf.mul(state.v, H.beta2), tf.mul(tf.square(g), 1 - H.beta2));',
      'state.v.assign(vState);',
    );
    lines.push(genome.biasCorrection ? 'const v = tf.div(vState, 1 - H.beta2 ** (t + 1));' : 'const v = vState;');
  } else {
    lines.push('const v = tf.square(g);');
  }
  const code = model.terms.map((term, index) =>
    PRIMITIVES[term.primitive](term, {
      previous: (slot) => `state['${slotKey(index, slot)}']`,
      next: (slot) => local(index, slot),
    }),
  );
  const assignments: string[] = [];
  model.terms.forEach((term, index) => {
    for (const slot of term.slots) {
      const update = code[index]?.slots?.[slot.name];
      if (update === undefined)
        throw new Error(`export has no tfjs code for the state slot "${slot.name}" of primitive "${term.primitive}"`);
      lines.push(`const ${local(index, slot.name)} = ${update};`);
      assignments.push(`state['${slotKey(index, slot.name)}'].assign(${local(index, slot.name)});`);
    }
  });
  lines.push(...assignments);
  model.terms.forEach((term, index) => {
    const contribution = `tf.mul(${code[index]?.direction ?? ''}, ${literal(term.alpha)})`;
    lines.push(index === 0 ? `let direction = ${contribution};` : `direction = tf.add(direction, ${contribution});`);
  });
  if (model.terms.length > 0) lines.push('next = tf.sub(next, tf.mul(direction, eta));');
  lines.push('w.assign(next);');
  return lines;
}

function slotList(model: ExportModel): string {
  const slots = stateSlots(model);
  if (slots.length === 0) return 'Object.freeze([])';
  return `Object.freeze([\n${slots.map(({ key, init }) => `  { key: '${key}', init: ${literal(init)} },`).join('\n')}\n])`;
}

/**
 * The genome as one standalone ES module for TensorFlow.js: `EvolvedOptimizer extends
 * tf.Optimizer`, importing only `@tensorflow/tfjs-core`.
 */
export function generateTfjs(model: ExportModel): string {
  const { genome } = model;
  const indent = (lines: readonly string[], spaces: number) =>
    lines.map((l) => (l ? `${' '.repeat(spaces)}${l}` : l)).join('\n');
  return `${headerLines(model)
    .map((l) => `// ${l}`.trimEnd())
    .join('\n')}
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

/** The terms' own state per parameter (key, initial value), besides m and v. */
const SLOTS = ${slotList(model)};

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
      const filled = (suffix, value) => tf.tidy(() => tf.variable(tf.fill(w.shape, value, 'float32'), false, \`\${this.prefix}/\${name}/\${suffix}\`));
      state = { m: H.useM ? filled('m', 0) : null, v: H.useV ? filled('v', 0) : null };
      for (const { key, init } of SLOTS) state[key] = filled(key, init);
      this.states.set(name, state);
    }
    return state;
  }

  async getWeights() {
    const weights = [await this.saveIterations()];
    for (const [name, state] of this.states) {
      if (state.m) weights.push({ name: \`\${name}/m\`, tensor: state.m });
      if (state.v) weights.push({ name: \`\${name}/v\`, tensor: state.v });
      for (const { key } of SLOTS) weights.push({ name: \`\${name}/\${key}\`, tensor: state[key] });
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
    for (const state of this.states.values()) for (const variable of Object.values(state)) variable?.dispose();
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
