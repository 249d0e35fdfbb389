// Builds @parley/widget:
//   dist/            the npm build: ES modules mirroring src/, Lit and @parley/protocol external, with .d.ts
//   dist/cdn/        the script-tag build: widget.js (the launcher, a classic script) and
//                    widget/parley-<hash>.js (everything else, Lit included, loaded on demand)
//   custom-elements.json   the manifest of every element, from the class doc headers
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

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

/**
 * Loads feature chunks with a bare `import()`: Vite wraps each dynamic import in its preload
 * helper (about 0.8 KB gzipped, to preload a chunk's CSS and imports), which the bundle does not
 * need: a feature chunk has no CSS and imports only the bundle, which is already loaded.
 */
const bareDynamicImports = {
  name: 'parley-bare-dynamic-imports',
  renderChunk(code) {
    const out = code.replace(/__vitePreload\(\(\) => (import\("[^"]+"\)), __VITE_PRELOAD__\)/g, '$1');
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
    lib: { entry: { index: 'src/index.ts', 'client/index': 'src/client/index.ts' }, formats: ['es'] },
    rollupOptions: {
      external: [/^lit($|\/)/, /^@lit\//, /^@parley\/protocol$/],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});
execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });

// 2. The lazily loaded part of the script-tag build, with a content hash for long caching.
await build({
  ...quiet,
  plugins: [minifyTemplates, bareDynamicImports],
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: false,
    target: 'es2020',
    modulePreload: false,
    rollupOptions: {
      input: { parley: 'src/cdn/app.ts' },
      // 'allow-extension': what a feature chunk (a component imported on demand) shares with the
      // bundle (Lit, the tokens) stays in the bundle, which exports it to the chunk.
      preserveEntrySignatures: 'allow-extension',
      output: { format: 'es', entryFileNames: 'widget/[name]-[hash].js', chunkFileNames: 'widget/[name]-[hash].js' },
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
console.log(`@parley/widget built: dist/, dist/cdn/widget.js, dist/cdn/widget/${app}, custom-elements.json`);
