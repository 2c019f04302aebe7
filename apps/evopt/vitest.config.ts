import { defineConfig } from 'vitest/config';

// The end-to-end tests spawn the built binary; give them room on a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 90_000, hookTimeout: 30_000 } });
