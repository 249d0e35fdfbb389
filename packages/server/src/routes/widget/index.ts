import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { ApiError, Strict } from '@parley/protocol';
import { Errors } from '../../errors.js';
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
 * visitors; bundles carry a content hash and are cached for a year.
 */
const widget: FastifyPluginAsyncTypebox = async (app) => {
  const dir = widgetDir();

  const sendScript = async (reply: FastifyReply, file: string, cacheControl: string) => {
    const path = dir ? join(dir, file) : undefined;
    const info = path ? await stat(path).catch(() => undefined) : undefined;
    if (!path || !info?.isFile()) {
      throw Errors.notFound(`The widget is not built (${file} is missing): run "pnpm build" in the repository first`);
    }
    const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
    reply
      .header('access-control-allow-origin', '*')
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', cacheControl)
      .header('etag', etag)
      .type('text/javascript; charset=utf-8');
    if (reply.request.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('content-length', info.size).send(createReadStream(path));
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
    (request, reply) => sendScript(reply, join('widget', request.params.file), 'public, max-age=31536000, immutable'),
  );

  app.get('/', { schema: { response: { 200: Type.String({ description: 'HTML' }) } } }, async (_request, reply) => {
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache');
    return demoPage();
  });
};

export default widget;
