import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { SUFFIX } from './negotiate.js';

/** Extensions worth compressing (images and fonts are compressed already). */
export const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.map', '.txt', '.xml', '.webmanifest']);

/** Smaller files gain nothing from compression: headers and framing cost more than the saving. */
export const MIN_COMPRESS_BYTES = 256;

/** Brotli at its best quality and gzip at level 9: done once at build time, so size is all that counts. */
export function compress(data: Buffer): { br: Buffer; gzip: Buffer } {
  return {
    br: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length } }),
    gzip: gzipSync(data, { level: 9 }),
  };
}

/**
 * Whether two modification times are the same to the millisecond: a copied time is rounded to
 * whole milliseconds, where some file systems keep nanoseconds.
 */
export function sameTime(a: number | undefined, b: number): boolean {
  return a !== undefined && Math.abs(a - b) <= 1;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? files(path) : entry.isFile() ? [path] : [];
  });
}

/**
 * Where the build keeps the compressed copies of a served folder: `dist/compressed/<name>` of this
 * package (the same from the sources and from the build, and shipped with the package). The
 * folders they copy stay untouched, so other packages' builds and size checks see only their files.
 */
export function compressedDir(name: 'widget' | 'admin'): string {
  return fileURLToPath(new URL(`../../../dist/compressed/${name}`, import.meta.url));
}

/**
 * Writes `<out>/<file>.br` and `<out>/<file>.gz` for every compressible file of `dir`
 * (recursively), unless fresh ones are there already. Each compressed file gets its source's
 * modification time, which is how the server tells a fresh one from one left by an older build.
 * Returns the files compressed.
 *
 * @example precompressDir('packages/widget/dist/cdn', compressedDir('widget'))
 */
export function precompressDir(dir: string, out: string): string[] {
  const done: string[] = [];
  for (const path of files(dir)) {
    if (!COMPRESSIBLE.has(extname(path).toLowerCase())) continue;
    const info = statSync(path);
    if (info.size < MIN_COMPRESS_BYTES) continue;
    const target = join(out, relative(dir, path));
    const fresh = (Object.values(SUFFIX) as string[]).every((suffix) => sameTime(statSync(target + suffix, { throwIfNoEntry: false })?.mtimeMs, info.mtimeMs));
    if (fresh) continue;
    const { br, gzip } = compress(readFileSync(path));
    mkdirSync(dirname(target), { recursive: true });
    for (const [suffix, data] of [[SUFFIX.br, br], [SUFFIX.gzip, gzip]] as const) {
      writeFileSync(target + suffix, data);
      utimesSync(target + suffix, info.atime, info.mtime);
    }
    done.push(path);
  }
  return done;
}
