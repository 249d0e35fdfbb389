import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Most test files wait on sockets, timers and databases rather than the CPU: at least two run
    // at once even on a 2-core machine (vitest's default there is one).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
