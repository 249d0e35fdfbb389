import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    conditions: ['source'],
    // @lit/react's `node` build is for server rendering (no effects, so no properties are set);
    // the elements' tests run in happy-dom, a browser.
    alias: [{ find: /^@lit\/react$/, replacement: fileURLToPath(new URL('node_modules/@lit/react/index.js', import.meta.url)) }],
  },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
