import { defineConfig } from 'vitest/config';

// Real training on wasm: give tests room on a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } });
