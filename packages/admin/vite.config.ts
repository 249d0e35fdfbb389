import { defineConfig } from 'vite';

/**
 * The dashboard is served by the Parley server under `/admin/`, so every asset URL starts there.
 * Hashed file names let the server cache assets for a year; only index.html is revalidated.
 */
export default defineConfig({
  base: '/admin/',
  resolve: { conditions: ['source'] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/ws': { target: 'ws://127.0.0.1:3000', ws: true },
      '/widget.js': 'http://127.0.0.1:3000',
    },
  },
});
