/**
 * Gradients of Sum and Mean that broadcast dy with a native OnesLike instead of tf.ones. The
 * gradients tfjs-layers registers build `ones(x.shape)` in JavaScript (an element-by-element fill
 * of a new Float32Array, then a copy onto the wasm heap): 60–100 ms of a CIFAR CNN training step for
 * batch norm's four means alone (≈ 9 ms here), plus the garbage those arrays leave. The values are
 * bit-identical: dy · 1 (and (dy / n) · 1 = (dy · 1) / n).
 *
 * Gradients are registered globally, not per backend, so these serve every backend.
 */
import { Mean, Sum, div, mul, ones, onesLike, reshape, util } from '@tensorflow/tfjs-core';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs-core';

/** dy reshaped to x's rank, with 1 on each reduced axis, and a float32 tensor of ones shaped like x. */
function broadcastParts(dy: Tensor, x: Tensor, attrs: NamedAttrMap): [Tensor, Tensor] {
  const axes = util.parseAxisParam(attrs['axis'] as number | number[], x.shape);
  const expandedShape = x.shape.slice();
  for (const axis of axes) expandedShape[axis] = 1;
  const allOnes = x.dtype === 'float32' ? onesLike(x) : ones(x.shape, 'float32');
  return [reshape(dy, expandedShape), allOnes];
}

export const sumGradient: GradConfig = {
  kernelName: Sum,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [expandedDy, allOnes] = broadcastParts(dy as Tensor, saved[0]!, attrs);
    return { x: () => mul(expandedDy, allOnes) };
  },
};

export const meanGradient: GradConfig = {
  kernelName: Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const x = saved[0]!;
    const reduceSize = util.sizeFromShape(
      util.parseAxisParam(attrs['axis'] as number | number[], x.shape).map((a) => x.shape[a]!),
    );
    const [expandedDy, allOnes] = broadcastParts(dy as Tensor, x, attrs);
    return { x: () => mul(div(expandedDy, reduceSize), allOnes) };
  },
};

/** The gradient replacements, in the order they are registered. */
export const GRADIENT_PATCHES: readonly GradConfig[] = [sumGradient, meanGradient];
