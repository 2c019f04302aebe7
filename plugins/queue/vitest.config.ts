import { defineConfig } from 'vitest/config';

// The tests start a real redis-server and real workers: give them room on a loaded 2-core machine.
export default defineConfig({ test: { testTimeout: 60_000, hookTimeout: 30_000 } });
