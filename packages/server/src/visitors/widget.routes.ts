import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ApiError, Strict } from '@parley/protocol';
import { Errors } from '../errors.js';
import { AssetFiles, IMMUTABLE, compressedDir, memoryAsset, sendAsset } from '../core/assets/index.js';
import { demoPage } from './demo-page.js';

/** The widget's script-tag build (`dist/cdn` of `@parley/widget`), or undefined when the package is missing. */
function widgetDir(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('@parley/widget/package.json')), 'dist', 'cdn');
  } catch {
    return undefined;
  }
}

const JS = Type.Unsafe<NodeJS.ReadableStream>({ description: 'JavaScript' });

/**
 * Serves the embeddable widget: `/widget.js` (the launcher a site pastes in a script tag) and
 * `/widget/<file>` (the bundle it imports on demand), readable from any origin, and the demo page
 * at `/` that embeds it. The launcher is revalidated every few minutes so a new release reaches
 * visitors; bundles carry a content hash and are cached for a year. Everything goes out brotli or
 * gzip compressed when the client accepts it (files compressed at build time, the page at startup).
 */
const widget: FastifyPluginAsyncTypebox = async (app) => {
  const dir = widgetDir();

  const files = new AssetFiles(dir ?? '', compressedDir('widget'));
  const page = memoryAsset(demoPage());

  const sendScript = async (reply: FastifyReply, file: string, cacheControl: string) => {
    const asset = dir ? await files.lookup(join(dir, file)) : undefined;
    if (!asset) throw Errors.notFound(`The widget is not built (${file} is missing): run "pnpm build" in the repository first`);
    reply
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff');
    return sendAsset(reply, asset, { type: 'text/javascript; charset=utf-8', cacheControl });
  };

  app.get('/widget.js', { schema: { response: { 200: JS, 304: Type.Null(), '4xx': ApiError } } }, (_request, reply) =>
    sendScript(reply, 'widget.js', 'public, max-age=300, stale-while-revalidate=86400'),
  );

  app.get(
    '/widget/:file',
    {
      schema: {
        params: Strict({ file: Type.String({ pattern: '^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.js$', maxLength: 100 }) }),
        response: { 200: JS, 304: Type.Null(), '4xx': ApiError },
      },
    },
    (request, reply) => sendScript(reply, join('widget', request.params.file), IMMUTABLE),
  );

  app.get('/', { schema: { response: { 200: Type.String({ description: 'HTML' }), 304: Type.Null() } } }, async (_request, reply) =>
    sendAsset(reply, page, { type: 'text/html; charset=utf-8', cacheControl: 'no-cache' }),
  );
};

export default widget;
