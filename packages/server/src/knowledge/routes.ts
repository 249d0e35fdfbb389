import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ApiError,
  ArticleExport,
  ArticleImportResponse,
  ArticleList,
  ArticleListQuery,
  ArticlePreviewRequest,
  ArticlePreviewResponse,
  ArticleResponse,
  ArticleSearchQuery,
  ArticleSearchResponse,
  CreateArticleRequest,
  Strict,
  UpdateArticleRequest,
} from '@parley/protocol';
import { agentAuth, tag } from '../openapi/index.js';
import { Errors, isAppError } from '../errors.js';
import { perAccount } from '../accounts/auth.js';
import { parseImport } from './import.js';
import { articleHtml } from './passages.js';

/** How these routes appear in the OpenAPI document. */
const openapi = { tags: [tag('knowledge')], security: agentAuth };

const ArticleParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const errors = { '4xx': ApiError, '5xx': ApiError } as const;
/** Largest import file. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/**
 * The articles API: every agent of the company reads its articles (drafts too) and tries the
 * search; admins write, import and export them. Another company's article answers 404.
 */
const articleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  const admin = app.requireRole('admin');
  const { knowledge } = app;

  app.get('/api/articles', { config, schema: { summary: "List the company's articles", ...openapi, querystring: ArticleListQuery, response: { 200: ArticleList, ...errors } } }, async (request) => {
    const companyId = request.user.companyId;
    const [articles, categories] = await Promise.all([knowledge.store.list(companyId, request.query), knowledge.store.categories(companyId)]);
    return { articles: articles.map((a) => knowledge.view(a)), categories };
  });

  app.post(
    '/api/articles',
    { config, onRequest: admin, schema: { summary: "Write an article (admins)", ...openapi, body: CreateArticleRequest, response: { 201: ArticleResponse, ...errors } } },
    async (request, reply) => {
      const [article] = await knowledge.create(request.user.companyId, [request.body]);
      return reply.code(201).send({ article: knowledge.view(article!) });
    },
  );

  app.get('/api/articles/export', { config, onRequest: admin, schema: { summary: "Export every article as JSON (admins)", ...openapi, response: { 200: ArticleExport, ...errors } } }, async (request, reply) => {
    const articles = await knowledge.store.list(request.user.companyId);
    reply.header('content-disposition', 'attachment; filename="articles.json"');
    return { articles: articles.map(({ title, body, category, status }) => ({ title, body, category, status })) };
  });

  app.post(
    '/api/articles/import',
    { config, onRequest: admin, bodyLimit: MAX_IMPORT_BYTES, schema: { summary: "Import articles from a JSON or CSV file (admins)", ...openapi, response: { 201: ArticleImportResponse, ...errors } } },
    async (request, reply) => {
      if (!request.isMultipart()) throw Errors.unsupportedMediaType('Send the file as multipart/form-data in the field "file"');
      let file: { name: string; content: string } | undefined;
      try {
        for await (const part of request.parts({ limits: { fileSize: MAX_IMPORT_BYTES } })) {
          if (part.type !== 'file') continue;
          if (part.fieldname !== 'file' || file) throw Errors.badRequest('Send exactly one file, in the field "file"');
          try {
            file = { name: part.filename, content: (await part.toBuffer()).toString('utf8') };
          } catch (error) {
            if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw Errors.payloadTooLarge('The file is larger than 20 MB');
            throw error;
          }
        }
      } catch (error) {
        if (isAppError(error) || (error as { statusCode?: number }).statusCode) throw error;
        throw Errors.badRequest('The multipart body is malformed');
      }
      if (!file) throw Errors.badRequest('No file: send it in the field "file"');
      const created = await knowledge.create(request.user.companyId, parseImport(file.name, file.content));
      return reply.code(201).send({ imported: created.length, articles: created.map(({ id, title }) => ({ id, title })) });
    },
  );

  app.post(
    '/api/articles/preview',
    { config, onRequest: admin, schema: { summary: "Render an article body as the help center shows it (admins)", ...openapi, body: ArticlePreviewRequest, response: { 200: ArticlePreviewResponse, ...errors } } },
    async (request) => ({ html: articleHtml(request.body.body) }),
  );

  app.get(
    '/api/articles/search',
    { config, schema: { summary: "Search the articles as the bot would, with its confidence", ...openapi, querystring: ArticleSearchQuery, response: { 200: ArticleSearchResponse, ...errors } } },
    async (request) => {
      const companyId = request.user.companyId;
      const hits = await knowledge.search(companyId, request.query.q, 5);
      const threshold = knowledge.threshold(companyId);
      return {
        hits: hits.map((h) => ({ article_id: h.articleId, title: h.title, heading: h.heading, excerpt: h.text, url: knowledge.urlOf(companyId, h.articleId), score: h.score })),
        answered: (hits[0]?.score ?? 0) >= threshold,
        threshold,
      };
    },
  );

  app.get('/api/articles/:id', { config, schema: { summary: "Get one article", ...openapi, params: ArticleParams, response: { 200: ArticleResponse, ...errors } } }, async (request) => ({
    article: knowledge.view(await knowledge.store.get(request.user.companyId, request.params.id)),
  }));

  app.put(
    '/api/articles/:id',
    { config, onRequest: admin, schema: { summary: "Change an article (admins)", ...openapi, params: ArticleParams, body: UpdateArticleRequest, response: { 200: ArticleResponse, ...errors } } },
    async (request) => ({ article: knowledge.view(await knowledge.update(request.user.companyId, request.params.id, request.body)) }),
  );

  app.delete(
    '/api/articles/:id',
    { config, onRequest: admin, schema: { summary: "Delete an article (admins)", ...openapi, params: ArticleParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await knowledge.remove(request.user.companyId, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default articleRoutes;
