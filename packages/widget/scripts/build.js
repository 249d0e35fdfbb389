// Builds @parley/widget:
//   dist/            the npm build: ES modules mirroring src/, Lit external, with .d.ts; what the widget
//                    uses of @parley/protocol is bundled (the sanitizer) or spelled out (dist/protocol.d.ts)
//   dist/cdn/        the script-tag build: widget.js (the launcher, a classic script) and
//                    widget/parley-<hash>.js (everything else, Lit included, loaded on demand)
//   custom-elements.json   the manifest of every element, from the class doc headers
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { finishManifest } from './manifest.js';
import { writeProtocolTypes } from './protocol-types.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => fileURLToPath(new URL(`../node_modules/.bin/${name}`, import.meta.url));
const quiet = { configFile: false, root, logLevel: 'warn', resolve: { conditions: ['source'] } };

/**
 * Squeezes the whitespace out of css`...` and html`...` templates in our sources (the minifier
 * leaves template literals alone). Only spaces and line breaks go; no text a visitor sees changes.
 */
const minifyTemplates = {
  name: 'parley-minify-templates',
  transform(code, id) {
    if (!id.includes('/src/') || !id.endsWith('.ts')) return null;
    const out = code
      .replace(/\bcss`([^`]*)`/g, (_, body) =>
        `css\`${body.replace(/\/\*[^]*?\*\//g, '').replace(/\s+/g, ' ').replace(/\s*([{};,>])\s*/g, '$1').replace(/:\s+/g, ':').trim()}\``,
      )
      .replace(/\bhtml`/g, 'html`')
      .replace(/(html`[^`]*`)/g, (template) => template.replace(/>\s+</g, '><').replace(/\n\s+/g, ' '));
    return out === code ? null : { code: out, map: null };
  },
};

/** The components loaded on demand by the script-tag widget, each in its own chunk. */
const FEATURE = /\/src\/components\/(form|file-request|product-carousel|selected-product-card|rating|article)\//;

/**
 * Feature chunks (components imported on demand) need no preloading: each is one file that
 * imports only the bundle that imports it. Vite still wraps every dynamic `import()` in its
 * preload helper (0.7 KB gzipped); this unwraps them, and the unused helper is minified away.
 */
const noPreload = {
  name: 'parley-no-preload',
  renderChunk(code) {
    const out = code.replace(/__vitePreload\(\s*\(\)\s*=>\s*(import\([^()]*\))\s*,\s*(?:__VITE_PRELOAD__|void 0|\[\])\s*(?:,[^()]*)?\)/g, '$1');
    return out === code ? null : { code: out, map: null };
  },
};

rmSync(`${root}/dist`, { recursive: true, force: true });

// 1. npm build.
await build({
  ...quiet,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    minify: false,
    sourcemap: true,
    target: 'es2022',
    lib: { entry: { index: 'src/index.ts', 'client/index': 'src/client/index.ts', react: 'src/react.ts', jsx: 'src/jsx.ts' }, formats: ['es'] },
    rollupOptions: {
      external: [/^lit($|\/)/, /^@lit\//, /^react($|\/)/],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
writeProtocolTypes(root);

// 2. The lazily loaded part of the script-tag build, with a content hash for long caching.
await build({
  ...quiet,
  plugins: [minifyTemplates, noPreload],
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: false,
    target: 'es2020',
    modulePreload: false,
    rollupOptions: {
      input: { parley: 'src/cdn/app.ts' },
      preserveEntrySignatures: 'allow-extension',
      output: {
        format: 'es',
        entryFileNames: 'widget/[name]-[hash].js',
        chunkFileNames: 'widget/[name]-[hash].js',
        // Everything but the feature components (src/cdn/app.ts) stays in the one bundle, so
        // opening the chat is two requests and a feature chunk holds only its own element.
        manualChunks: (id) => (FEATURE.test(id) && !id.endsWith('/price.ts') ? undefined : 'parley'),
      },
    },
  },
});
const app = readdirSync(`${root}/dist/cdn/widget`).find((f) => /^parley-.*\.js$/.test(f));
if (!app) throw new Error('the widget bundle was not built');

// 3. The launcher: one classic script that knows the bundle's file name.
await build({
  ...quiet,
  define: { __PARLEY_APP__: JSON.stringify(`widget/${app}`) },
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: false,
    target: 'es2020',
    lib: { entry: 'src/cdn.ts', formats: ['iife'], name: 'ParleyLauncher', fileName: () => 'widget.js' },
  },
});

// 4. The custom elements manifest.
execFileSync(bin('cem'), ['analyze', '--litelement', '--globs', 'src/components/**/*.component.ts', '--outdir', '.', '--quiet'], {
  cwd: root,
  stdio: 'inherit',
});
finishManifest(root);
console.log(`@parley/widget built: dist/, dist/cdn/widget.js, dist/cdn/widget/${app}, custom-elements.json`);
