import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

/** Sizes of one file, raw and compressed as a CDN would serve it. */
export interface FileWeight {
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
}

/** Measurement 5: the script-tag build's weight. `launcher` is what loads before the chat opens. */
export interface WidgetWeight {
  dir: string;
  present: boolean;
  launcher?: FileWeight;
  /** Every file of the CDN build (JavaScript, CSS, anything shipped). */
  files: FileWeight[];
  total: { bytes: number; gzip: number; brotli: number };
}

function weigh(path: string, root: string): FileWeight {
  const data = readFileSync(path);
  return {
    file: relative(root, path),
    bytes: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * Weighs `packages/widget/dist/cdn/` as built (the bench never builds the widget itself). Source
 * maps are not shipped to visitors and are left out. The launcher is the script a page includes
 * (the JavaScript file at the top of the folder, `widget.js`); what it loads when the visitor
 * opens the chat lives in subfolders.
 */
export function widgetWeight(dir: string): WidgetWeight {
  if (!existsSync(dir)) return { dir, present: false, files: [], total: { bytes: 0, gzip: 0, brotli: 0 } };
  const files = listFiles(dir)
    .filter((path) => !path.endsWith('.map') && !path.endsWith('.d.ts'))
    .sort()
    .map((path) => weigh(path, dir));
  const topScripts = files.filter((f) => !f.file.includes(sep) && /\.m?js$/.test(f.file));
  const launcher = topScripts.find((f) => /launcher|widget|parley/.test(basename(f.file))) ?? topScripts[0];
  const total = files.reduce((sum, f) => ({ bytes: sum.bytes + f.bytes, gzip: sum.gzip + f.gzip, brotli: sum.brotli + f.brotli }), {
    bytes: 0,
    gzip: 0,
    brotli: 0,
  });
  return { dir, present: files.length > 0, ...(launcher ? { launcher } : {}), files, total };
}
