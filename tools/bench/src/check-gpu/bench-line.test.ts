import { describe, expect, it } from 'vitest';
import { benchLine } from './bench-line.js';

// The table `node tools/bench/dist/gpu.js --quick --backend wasm` printed here (Report.add: the label padded
// to 60, then the text), and a paper-preset row in the same format.
const TABLE = `
GPU bench on wasm: cpu
backend                                                      wasm (cpu)
SmallCNN, batch 128, P = 1                                   1.40 steps/s = 1.4 genome-steps/s
SmallCNN, batch 128, P = 2                                   0.51 steps/s = 1.0 genome-steps/s
CIFAR CNN, batch 128, P = 1                                  0.10 steps/s = 0.1 genome-steps/s
CIFAR CNN, batch 128, P = 2                                  0.17 steps/s = 0.3 genome-steps/s
`;
const PAPER =
  'paper preset, one generation of 4 genomes (24 evaluations × 5 steps) 1,234 evaluations/h (70 s, start-up included)\n';

describe('benchLine', () => {
  it("passes a full table, with each model row and the paper preset's rate in its figures", () => {
    const line = benchLine({ code: 0, stdout: TABLE + PAPER, stderr: '', timedOut: false }, '80 s');
    expect(line).toMatchObject({ ok: true, name: 'bench:gpu --quick prints its table' });
    expect(line.figures).toBe(
      'SmallCNN P=1 1.40, SmallCNN P=2 0.51, CIFAR P=1 0.10, CIFAR P=2 0.17 steps/s; paper 1,234 evaluations/h (80 s)',
    );
  });

  it('fails when the paper generation failed (the bench notes it and still exits 0), a row is missing, or it exits non-zero', () => {
    const failedGeneration = benchLine(
      { code: 0, stdout: `${TABLE}  note: paper generation failed (exit 1): boom\n`, stderr: '', timedOut: false },
      '1 s',
    );
    expect(failedGeneration).toMatchObject({ ok: false, detail: 'paper generation failed (exit 1): boom' });
    const missingRow = benchLine(
      { code: 0, stdout: TABLE.replace(/CIFAR CNN, batch 128, P = 2.*\n/, '') + PAPER, stderr: '', timedOut: false },
      '1 s',
    );
    expect(missingRow).toMatchObject({ ok: false, detail: '3 of 4 model rows' });
    const crashed = benchLine({ code: 1, stdout: '', stderr: 'Error: no backend', timedOut: false }, '1 s');
    expect(crashed.ok).toBe(false);
    expect(crashed.detail).toContain('exit 1: Error: no backend');
    expect(benchLine({ code: null, stdout: TABLE, stderr: '', timedOut: true }, '1 s')).toMatchObject({
      ok: false,
      figures: 'timed out',
    });
  });
});
