import { describe, expect, it } from 'vitest';
import { autoSummary, skippedReason } from './notice.js';

/** What Node throws for an import of a package that is not installed. */
function missing(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from /app/dist/backend/candidates.js`), {
    code: 'ERR_MODULE_NOT_FOUND',
  });
}

/** loadTensorflow wraps the import error, keeping it as the cause. */
const wrapped = (cause: Error) =>
  new Error(`backend 'tensorflow' needs @tensorflow/tfjs-node-gpu, which did not load: ${cause.message}`, { cause });

describe("auto's backend notices", () => {
  it('says in one short line that tfjs-node-gpu is not installed, and where to read more', () => {
    expect(autoSummary('wasm', [{ name: 'tensorflow', error: wrapped(missing('@tensorflow/tfjs-node-gpu')) }])).toBe(
      'backend wasm: tfjs-node-gpu is not installed, see docs/GPU.md',
    );
  });

  it('calls any other failure "did not start": a missing dependency of tfjs-node-gpu is not tfjs-node-gpu missing', () => {
    expect(
      autoSummary('cpu', [
        { name: 'tensorflow', error: wrapped(missing('@mapbox/node-pre-gyp')) },
        { name: 'wasm', error: new Error('no tfjs-backend-wasm.wasm') },
      ]),
    ).toBe('backend cpu: tensorflow did not start, wasm did not start, see docs/GPU.md');
  });

  it('keeps the full first line of the reason for --verbose', () => {
    expect(skippedReason('tensorflow', new Error('first line\nsecond line'))).toBe('tensorflow: first line');
  });
});
