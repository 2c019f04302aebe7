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
  rms: () => ({ direction: 'g / (v.sqrt() + EPS)' }),
  adam: () => ({ direction: 'm / (v.sqrt() + EPS)' }),
  sign: () => ({ direction: 'g.sign()' }),
  unit: () => ({ direction: 'g / (g.abs() + EPS)' }),
  nesterov: () => ({ direction: `m + ${literal(paper.NESTEROV_LOOKAHEAD)} * (g - m)` }),
  'sign-m': () => ({ direction: 'm.sign()' }),
  lion: (term) => {
    const beta = numberOption(term, 'beta');
    return { direction: `(m * ${literal(beta)} + g * ${literal(1 - beta)}).sign()` };
  },
  powersign: () => ({ direction: 'torch.exp(g.sign() * m.sign()) * g' }),
  addsign: () => ({ direction: '(g.sign() * m.sign() + 1) * g' }),
  // ema: the uncorrected EMA_β1(g); s: EMA_β2((g − ema)²) + ε, bias-corrected in the direction.
  adabelief: (_term, { previous, next }) => ({
    slots: {
      ema: `${previous('ema')} * BETA1 + g * (1 - BETA1)`,
      s: `${previous('s')} * BETA2 + (g - ${next('ema')}).square() * (1 - BETA2) + EPS`,
    },
    direction: `m / ((${next('s')} / (1 - BETA2 ** (t + 1))).sqrt() + EPS)`,
  }),
};

/** The local holding this step's value of a slot, e.g. term0_s. */
const local = (termIndex: number, slot: string): string => `term${termIndex}_${slot.replace(/[^A-Za-z0-9_]/g, '_')}`;

/** Each schedule's multiplier at 0-based step t of T (plugins/schedules). */
const SCHEDULES: Readonly<Record<ExportSchedule, string>> = {
  constant: '1.0',
  warmup: '_warmup_factor(t)',
  cosine: '_cosine_factor(t, total_steps)',
  'warmup-cosine': '_warmup_factor(t) * _cosine_factor(t, total_steps)',
  step: 'SCHEDULE["gamma"] ** math.floor(max(0, t) / max(1, SCHEDULE["stepSize"]))',
  linear: '1 + (SCHEDULE["endFactor"] - 1) * _progress(t, total_steps)',
};

function pyValue(value: number | boolean | null): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return literal(value);
}

function dict(entries: Readonly<Record<string, number | boolean | null>>): string {
  const body = Object.entries(entries).map(([k, v]) => `    "${k}": ${pyValue(v)},`);
  return body.length === 0 ? '{}' : `{\n${body.join('\n')}\n}`;
}

/** The per-parameter update, with the genome's flags decided here rather than at run time. */
function updateLines(model: ExportModel): string[] {
  const { genome } = model;
  const lines: string[] = [];
  lines.push(genome.clip === null ? 'g = p.grad' : 'g = p.grad.clamp(-CLIP, CLIP)');
  if (genome.weightDecay > 0) lines.push('p.mul_(1 - eta * WEIGHT_DECAY)');
  if (genome.useM) {
    lines.push('m = state["m"].mul_(BETA1).add_(g, alpha=1 - BETA1)');
    if (genome.biasCorrection) lines.push('m = m / (1 - BETA1 ** (t + 1))');
  } else {
    lines.push('m = g');
  }
  if (genome.useV) {
    lines.push('v = state["v"].mul_(BETA2).addcmul_(g, g, value=1 - BETA2)');
    if (genome.biasCorrection) lines.push('v = v / (1 - BETA2 ** (t + 1))');
  } else {
    lines.push('v = g * g');
  }
  const code = model.terms.map((term, index) =>
    PRIMITIVES[term.primitive](term, {
      previous: (slot) => `state["${slotKey(index, slot)}"]`,
      next: (slot) => local(index, slot),
    }),
  );
  const stores: string[] = [];
  model.terms.forEach((term, index) => {
    for (const slot of term.slots) {
      const update = code[index]?.slots?.[slot.name];
      if (update === undefined)
        throw new Error(
          `export has no PyTorch code for the state slot "${slot.name}" of primitive "${term.primitive}"`,
        );
      lines.push(`${local(index, slot.name)} = ${update}`);
      stores.push(`state["${slotKey(index, slot.name)}"].copy_(${local(index, slot.name)})`);
    }
  });
  lines.push(...stores);
  if (model.terms.length === 0) {
    lines.push('# every term cancelled: only the weight decay remains');
  } else {
    lines.push(
      `direction = ${model.terms.map((t, index) => `${literal(t.alpha)} * (${code[index]?.direction ?? ''})`).join(' + ')}`,
    );
    lines.push('p.add_(direction, alpha=-eta)');
  }
  lines.push('state["step"] = t + 1');
  return lines;
}

function slotTuple(model: ExportModel): string {
  const slots = stateSlots(model);
  if (slots.length === 0) return '()';
  return `(\n${slots.map(({ key, init }) => `    ("${key}", ${literal(init)}),`).join('\n')}\n)`;
}

/** The genome as one Python file: `EvolvedOptimizer(torch.optim.Optimizer)`. */
export function generatePytorch(model: ExportModel): string {
  const { genome } = model;
  const body = updateLines(model)
    .map((l) => `                ${l}`)
    .join('\n');
  return `${headerLines(model)
    .map((l) => `# ${l}`.trimEnd())
    .join('\n')}
#
# Usage: optimizer = EvolvedOptimizer(model.parameters(), total_steps=N); loss.backward(); optimizer.step()
import math

import torch

LR = ${literal(genome.lr)}
BETA1 = ${literal(genome.beta1)}
BETA2 = ${literal(genome.beta2)}
EPS = ${literal(genome.eps)}
WEIGHT_DECAY = ${literal(genome.weightDecay)}
CLIP = ${pyValue(genome.clip)}
USE_M = ${pyValue(genome.useM)}
USE_V = ${pyValue(genome.useV)}
BIAS_CORRECTION = ${pyValue(genome.biasCorrection)}

# The learning-rate schedule "${model.schedule.id}" and its params.
SCHEDULE = ${dict(model.schedule.params)}

# The terms' own state per parameter (key, initial value), besides m and v.
SLOTS = ${slotTuple(model)}


def _progress(t, total_steps):
    if total_steps <= 0:
        return 1.0
    return min(1.0, max(0.0, t / total_steps))


def _warmup_factor(t):
    return (t + 1) / SCHEDULE["warmupSteps"] if t < SCHEDULE["warmupSteps"] else 1.0


def _cosine_factor(t, total_steps):
    return 0.5 * (1 + math.cos(math.pi * _progress(t, total_steps)))


def schedule_multiplier(t, total_steps):
    """The schedule's multiplier of lr at 0-based step t of a total_steps-step run."""
    return ${SCHEDULES[model.schedule.id]}


class EvolvedOptimizer(torch.optim.Optimizer):
    """The evolved update rule above. total_steps is the schedule's T; lr overrides the genome's."""

    def __init__(self, params, total_steps, lr=LR):
        if not isinstance(total_steps, int) or total_steps < 1:
            raise ValueError(f"EvolvedOptimizer needs total_steps as a positive integer, got {total_steps!r}")
        super().__init__(params, dict(lr=lr, total_steps=total_steps))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["step"] = 0
                    if USE_M:
                        state["m"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                    if USE_V:
                        state["v"] = torch.zeros_like(p, memory_format=torch.preserve_format)
                    for key, init in SLOTS:
                        state[key] = torch.full_like(p, init, memory_format=torch.preserve_format)
                t = state["step"]
                eta = group["lr"] * schedule_multiplier(t, group["total_steps"])
${body}
        return loss
`;
}
