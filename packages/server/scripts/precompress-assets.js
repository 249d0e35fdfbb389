// Compresses what the server serves (the widget's script-tag build and the dashboard) with brotli
// and gzip once, at build time, into dist/compressed/, so no request pays for compression. Runs
// after `tsc`.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { compressedDir, precompressDir } from '../dist/core/assets/precompress.js';

const require = createRequire(import.meta.url);
const dirs = [
  [join(dirname(require.resolve('@parley/widget/package.json')), 'dist', 'cdn'), compressedDir('widget')],
  [join(dirname(require.resolve('@parley/admin/package.json')), 'dist'), compressedDir('admin')],
];
for (const [dir, out] of dirs) {
  if (!existsSync(dir)) {
    console.warn(`precompress: ${dir} is missing (build that package first); its files will be served uncompressed`);
    continue;
  }
  const done = precompressDir(dir, out);
  console.log(`precompress: ${done.length} file(s) of ${dir} into ${out}`);
}
