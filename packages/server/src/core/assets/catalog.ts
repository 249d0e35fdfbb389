import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { COMPRESSIBLE, MIN_COMPRESS_BYTES, compress, sameTime } from './precompress.js';
import { SUFFIX, type Encoding } from './negotiate.js';
import { extname, join, relative, sep } from 'node:path';

/** Where the bytes of one representation are: a file on disk, or a buffer made at startup. */
export type AssetSource = { size: number; path: string } | { size: number; data: Buffer };

/**
 * One static asset: its raw bytes and the compressed representations stored beside it. `hash`
 * identifies the raw content; each representation's strong ETag is derived from it.
 */
export interface Asset {
  hash: string;
  raw: AssetSource;
  encoded: Partial<Record<Encoding, AssetSource>>;
  /** The encodings present, best first. */
  encodings: Encoding[];
}

function contentHash(data: Buffer): string {
  return createHash('sha256').update(data).digest('base64url').slice(0, 22);
}

function listed(encoded: Partial<Record<Encoding, AssetSource>>): Encoding[] {
  return (['br', 'gzip'] as const).filter((e) => encoded[e] !== undefined);
}

/**
 * An asset made in memory at startup (the demo page): compressed once, served from buffers.
 */
export function memoryAsset(body: string | Buffer): Asset {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const encoded: Partial<Record<Encoding, AssetSource>> = {};
  if (data.length >= MIN_COMPRESS_BYTES) {
    const { br, gzip } = compress(data);
    encoded.br = { size: br.length, data: br };
    encoded.gzip = { size: gzip.length, data: gzip };
  }
  return { hash: contentHash(data), raw: { size: data.length, data }, encoded, encodings: listed(encoded) };
}

/**
 * The files of a build folder (`root`) as assets. A file's compressed copies (`<compressed>/<file>.br`
 * and `.gz`, made at build time by `precompressDir`) are used only when they carry the file's own
 * modification time, so a rebuilt file is never answered with a stale compressed copy. Each file
 * is hashed once per version (its size and modification time), so a request costs one `stat`.
 */
export class AssetFiles {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; asset: Asset }>();

  constructor(
    private readonly root: string,
    private readonly compressed: string | undefined,
  ) {}

  /** The asset at an absolute path inside the root, or undefined when there is no such file. */
  async lookup(path: string): Promise<Asset | undefined> {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = this.cache.get(path);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) {
      // Compressed copies made after the file was first served (a build finishing) are picked up.
      if (cached.asset.encodings.length === 0 && this.compressed) {
        cached.asset.encoded = await this.copies(path, info.mtimeMs, info.size);
        cached.asset.encodings = listed(cached.asset.encoded);
      }
      return cached.asset;
    }
    const data = await readFile(path);
    const encoded = await this.copies(path, info.mtimeMs, info.size);
    const asset: Asset = { hash: contentHash(data), raw: { size: info.size, path }, encoded, encodings: listed(encoded) };
    this.cache.set(path, { mtimeMs: info.mtimeMs, size: info.size, asset });
    return asset;
  }

  /** The fresh compressed copies of a file: made from this version of it, and smaller. */
  private async copies(path: string, mtimeMs: number, size: number): Promise<Partial<Record<Encoding, AssetSource>>> {
    const encoded: Partial<Record<Encoding, AssetSource>> = {};
    const rel = relative(this.root, path);
    if (!this.compressed || !COMPRESSIBLE.has(extname(path).toLowerCase()) || rel.startsWith('..') || rel.startsWith(sep)) return encoded;
    for (const encoding of ['br', 'gzip'] as const) {
      const copy = join(this.compressed, rel) + SUFFIX[encoding];
      const found = await stat(copy).catch(() => undefined);
      if (found?.isFile() && sameTime(found.mtimeMs, mtimeMs) && found.size < size) encoded[encoding] = { size: found.size, path: copy };
    }
    return encoded;
  }
}
