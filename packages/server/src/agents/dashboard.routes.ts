import { createRequire } from 'node:module';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ApiError } from '@parley/protocol';
import { Errors } from '../errors.js';
import { AssetFiles, IMMUTABLE, compressedDir, sendAsset } from '../core/assets/index.js';

/** The dashboard's build (`dist` of `@parley/admin`), or undefined when the package is missing. */
function adminDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@parley/admin/package.json')), 'dist');
  } catch {
    return undefined;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The dashboard page's policy: only our own scripts and styles, no inline script, API and socket
 * calls to this origin only, images also from `data:` and any https host (product pictures).
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Options of the dashboard routes. */
export interface AdminRoutesOptions {
  /** The build folder to serve; defaults to `@parley/admin`'s `dist`. */
  dir?: string;
  /** Where its brotli and gzip copies are (see `precompressDir`); defaults to this package's `dist/compressed/admin` for the default folder. */
  compressedDir?: string;
}

const FILE = Type.Unsafe<NodeJS.ReadableStream>({ description: 'a file of the dashboard' });

/**
 * Serves the agent dashboard at `/admin`: hashed assets under `/admin/assets/` are cached for a
 * year; every other path answers `index.html` (the app routes in the browser) with a strict
 * Content-Security-Policy and no caching. Files go out brotli or gzip compressed (made at build
 * time) when the client accepts it. Without a build, a 404 says to run `pnpm build`.
 */
const admin: FastifyPluginAsyncTypebox<AdminRoutesOptions> = async (app, options) => {
  const root = options.dir ?? adminDir();

  const files = new AssetFiles(root ?? '', options.compressedDir ?? (options.dir ? undefined : compressedDir('admin')));

  const sendFile = async (reply: FastifyReply, path: string, cacheControl: string): Promise<FastifyReply | undefined> => {
    const asset = await files.lookup(path);
    if (!asset) return undefined;
    const type = TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
    reply.header('x-content-type-options', 'nosniff');
    if (type.startsWith('text/html')) {
      reply
        .header('content-security-policy', ADMIN_CSP)
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'no-referrer')
        .header('cross-origin-opener-policy', 'same-origin');
    }
    return sendAsset(reply, asset, { type, cacheControl });
  };

  const sendIndex = async (reply: FastifyReply) => {
    const sent = root ? await sendFile(reply, join(root, 'index.html'), 'no-cache') : undefined;
    if (!sent) throw Errors.notFound('The dashboard is not built (packages/admin/dist is missing): run "pnpm build" in the repository first');
    return sent;
  };

  const schema = { response: { 200: FILE, 304: Type.Null(), '4xx': ApiError } };

  app.get('/admin', { schema }, (_request, reply) => sendIndex(reply));

  app.get('/admin/*', { schema }, async (request, reply) => {
    const rest = (request.params as { '*': string })['*'];
    if (root && rest) {
      const path = resolve(root, rest);
      if (path.startsWith(root + sep)) {
        const immutable = rest.startsWith('assets/');
        const sent = await sendFile(reply, path, immutable ? IMMUTABLE : 'public, max-age=300');
        if (sent) return sent;
        // A missing script or style must not be answered with the page.
        if (immutable || /\.(js|css|map)$/.test(rest)) throw Errors.notFound('No such dashboard file');
      }
    }
    return sendIndex(reply);
  });
};

export default admin;
