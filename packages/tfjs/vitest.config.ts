import { defineConfig } from 'vitest/config';

// The kernel tests compare wasm against the slow cpu backend at the CIFAR CNN's real shapes
// (5–6 s each on a loaded 2-core machine): more than vitest's default 5 s.
export default defineConfig({ test: { testTimeout: 60_000 } });
