import { baselineGenome, InlineEvaluator, type LoadedRegistries } from '@evopt/core';
import { benchTrainingStep } from '@evopt/tfjs';
import { createVisionModel, IMAGE_PIXELS } from '@evopt/plugin-vision';
import type { Report } from '../report.js';
import { evaluatorContext } from './context.js';
import { collectingSink, requestsFor, torchGenome } from './requests.js';
import { runTorch, torchUnavailable } from './torch.js';

/** Steps per evaluation for the throughput measurement (after one warm-up evaluation). */
const STEPS = { cnn: 60, mlp: 300 } as const;

/**
 * Training throughput at batch 128 through the real path (mnist-lite task, genome optimizer,
 * training loop) on wasm, next to the PyTorch reference trainer run in the same invocation.
 */
export async function trainingSection(report: Report, loaded: LoadedRegistries): Promise<void> {
  report.heading('Training throughput, batch 128 (Adam genome, mnist-lite)');
  const unavailable = torchUnavailable();
  if (unavailable) report.note(`PyTorch reference skipped: ${unavailable}`);
  const adam = baselineGenome('adam');
  for (const model of ['cnn', 'mlp'] as const) {
    const name = model === 'cnn' ? 'SmallCNN' : 'MLP 784-128-10';
    const evaluator = new InlineEvaluator(evaluatorContext(loaded, { 'mnist-lite': { model, batchSize: 128 } }));
    try {
      await evaluator.evaluate(requestsFor(adam, loaded.registries, 'mnist-lite', 10, 1), collectingSink()); // warm-up: data, kernels, JIT
      const sink = collectingSink();
      await evaluator.evaluate(requestsFor(adam, loaded.registries, 'mnist-lite', STEPS[model], 1), sink);
      const stepsPerSecond = sink.records[0]?.metrics['stepsPerSecond'] ?? Number.NaN;
      report.add(
        `${model}StepsPerSecond`,
        stepsPerSecond,
        `${name} on wasm (evopt)`,
        `${stepsPerSecond.toFixed(2)} steps/s`,
      );
      if (model === 'cnn') {
        // Where a step goes, by kernel (the task above initialised wasm on this thread).
        const { msPerStep, profile } = await benchTrainingStep(createVisionModel('cnn', 1), [IMAGE_PIXELS]);
        const top = profile
          .slice(0, 6)
          .map((k) => `${k.kernel} ${k.ms.toFixed(0)}`)
          .join(', ');
        report.add(
          'cnnKernelProfile',
          { msPerStep, profile },
          `${name} step by kernel (ms, one profiled step)`,
          `${msPerStep.toFixed(0)} ms/step: ${top}`,
        );
      }
      if (!unavailable) {
        const torch = runTorch(torchGenome(adam), model, STEPS[model] * 2);
        report.add(
          `${model}TorchStepsPerSecond`,
          torch.steps_per_s,
          `${name} on PyTorch, 2 threads`,
          `${torch.steps_per_s.toFixed(2)} steps/s`,
        );
        report.add(
          `${model}RatioToTorch`,
          stepsPerSecond / torch.steps_per_s,
          `${name} ratio evopt / PyTorch`,
          `${(stepsPerSecond / torch.steps_per_s).toFixed(2)}×${model === 'cnn' ? ' (goal ≥ 1.0×)' : ''}`,
        );
      }
    } finally {
      await evaluator.close();
    }
  }
}
