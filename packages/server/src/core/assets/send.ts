import { createReadStream } from 'node:fs';
import type { FastifyReply } from 'fastify';
import type { Asset } from './catalog.js';
import { chooseEncoding } from './negotiate.js';

/** How to answer an asset. */
export interface SendAssetOptions {
  /** The `Content-Type`. */
  type: string;
  /** `public, max-age=31536000, immutable` for files with a content hash in their name; short otherwise. */
  cacheControl: string;
}

/** Cache policy of a file whose name carries its content hash: it never changes. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Whether an `If-None-Match` header names this ETag (weak comparison, as RFC 9110 asks for GET). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

/**
 * Answers an asset in the best encoding the client accepts (brotli, then gzip, then raw), with
 * `Vary: Accept-Encoding`, a strong `ETag` per representation (the content hash, plus the
 * encoding), the given cache policy, and 304 when `If-None-Match` names the ETag.
 */
export function sendAsset(reply: FastifyReply, asset: Asset, options: SendAssetOptions): FastifyReply {
  const encoding = chooseEncoding(reply.request.headers['accept-encoding'], asset.encodings);
  const etag = `"${asset.hash}${encoding ? `-${encoding === 'gzip' ? 'gz' : encoding}` : ''}"`;
  reply.header('etag', etag).header('cache-control', options.cacheControl).type(options.type);
  if (asset.encodings.length) {
    const vary = reply.getHeader('vary');
    reply.header('vary', vary ? `${String(vary)}, accept-encoding` : 'accept-encoding');
  }
  if (matches(reply.request.headers['if-none-match'], etag)) return reply.code(304).send();
  const source = encoding ? asset.encoded[encoding]! : asset.raw;
  if (encoding) reply.header('content-encoding', encoding);
  reply.header('content-length', source.size);
  return reply.send('data' in source ? source.data : createReadStream(source.path));
}
