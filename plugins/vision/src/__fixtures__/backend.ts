// The backend for this package's tests. One per thread (initBackend refuses to switch), and wasm:
// deterministic, always installed, and fast enough to train the SmallCNN a few steps.
import { initBackend } from '@evopt/tfjs';

/** The backend every test file of this package runs on. */
export const TEST_BACKEND = 'wasm';

export async function useTestBackend(): Promise<void> {
  await initBackend(TEST_BACKEND);
}
