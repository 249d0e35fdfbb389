import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import { compressedDir, sameTime } from '../../src/core/assets/index.js';

/**
 * Sizes of one file as the server sends it: raw, to a client accepting gzip, and to one accepting
 * brotli. These are the build-time compressed copies the server answers with (`dist/compressed/`);
 * without a fresh copy the server sends the raw bytes, and so does this count.
 */
export interface FileWeight {
  file: string;
  bytes: number;
  gzip: number;
  brotli: number;
  /** False when the server has no fresh compressed copy and sends the file raw (run `pnpm build`). */
  compressed: boolean;
}

/** Measurement 5: the script-tag build's weight. `launcher` is what loads before the chat opens. */
export interface WidgetWeight {
  dir: string;
  present: boolean;
  launcher?: FileWeight;
  /** Every file of the CDN build (JavaScript, CSS, anything shipped). */
  files: FileWeight[];
  total: { bytes: number; gzip: number; brotli: number };
  /**
   * What opening the chat loads: the launcher and the bundle it imports (`widget/parley-*.js`), as
   * the widget's size test counts it. The other files are feature chunks, loaded on demand.
   */
  opening: { bytes: number; gzip: number; brotli: number };
  /** The largest feature chunk, gzipped as sent. */
  largestFeatureGzip: number;
}

/** The size of the server's compressed copy of a file, when it is fresh (made from this build). */
function sentSize(copy: string, source: { mtimeMs: number; size: number }): number | undefined {
  const info = statSync(copy, { throwIfNoEntry: false });
  return info && sameTime(info.mtimeMs, source.mtimeMs) && info.size < source.size ? info.size : undefined;
}

function weigh(path: string, root: string, copies: string): FileWeight {
  const file = relative(root, path);
  const info = statSync(path);
  const gzip = sentSize(join(copies, `${file}.gz`), info);
  const brotli = sentSize(join(copies, `${file}.br`), info);
  return { file, bytes: info.size, gzip: gzip ?? info.size, brotli: brotli ?? info.size, compressed: gzip !== undefined && brotli !== undefined };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * Weighs `packages/widget/dist/cdn/` as built and as the server sends it (the bench never builds
 * the widget itself): the compressed columns are the bytes of the server's build-time brotli and
 * gzip copies in `copies` (default `packages/server/dist/compressed/widget`). Source maps are not
 * shipped to visitors and are left out. The launcher is the script a page includes
 * (the JavaScript file at the top of the folder, `widget.js`); what it loads when the visitor
 * opens the chat lives in subfolders.
 */
export function widgetWeight(dir: string, copies: string = compressedDir('widget')): WidgetWeight {
  const none = { bytes: 0, gzip: 0, brotli: 0 };
  if (!existsSync(dir)) return { dir, present: false, files: [], total: none, opening: none, largestFeatureGzip: 0 };
  const files = listFiles(dir)
    .filter((path) => !path.endsWith('.map') && !path.endsWith('.d.ts'))
    .sort()
    .map((path) => weigh(path, dir, copies));
  const topScripts = files.filter((f) => !f.file.includes(sep) && /\.m?js$/.test(f.file));
  const launcher = topScripts.find((f) => /launcher|widget|parley/.test(basename(f.file))) ?? topScripts[0];
  const sum = (list: FileWeight[]) => list.reduce((acc, f) => ({ bytes: acc.bytes + f.bytes, gzip: acc.gzip + f.gzip, brotli: acc.brotli + f.brotli }), none);
  const isOpening = (f: FileWeight) => f === launcher || /^widget[/\\]parley-[^/\\]+\.js$/.test(f.file);
  const features = files.filter((f) => !isOpening(f));
  return {
    dir,
    present: files.length > 0,
    ...(launcher ? { launcher } : {}),
    files,
    total: sum(files),
    opening: sum(files.filter(isOpening)),
    largestFeatureGzip: Math.max(0, ...features.map((f) => f.gzip)),
  };
}
