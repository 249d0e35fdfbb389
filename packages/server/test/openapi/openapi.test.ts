import Fastify, { type RouteOptions } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { app as parley } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { securitySchemes, tags } from '../../src/openapi/index.js';
import { onCleanup, startTestServer, tempDataDir } from '../helper.js';

interface Operation {
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}
type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> }; tags: Array<{ name: string }> };

/** The app as `buildServer` makes it, with an `onRoute` hook added first that sees every route. */
async function appWithRouteLog() {
  const routes: RouteOptions[] = [];
  const config = loadConfig({ dataDir: tempDataDir(), logLevel: 'silent' });
  const fastify = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  onCleanup(() => fastify.close());
  fastify.setValidatorCompiler(TypeBoxValidatorCompiler);
  fastify.addHook('onRoute', (route) => {
    routes.push(route);
  });
  await fastify.register(parley, { config });
  await fastify.ready();
  return { fastify, routes };
}

/** `/api/chats/:id/notes/:noteId` as OpenAPI writes it: `/api/chats/{id}/notes/{noteId}`. */
const openapiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('is served at /api/openapi.json and is a valid OpenAPI 3.1 document', async () => {
    const { http } = await startTestServer();
    const res = await fetch(`${http}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as OpenApiDocument;
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(structuredClone(doc) as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['agentJwt', 'companyApiKey', 'visitorSession']);
    expect(doc.components.securitySchemes).toEqual(JSON.parse(JSON.stringify(securitySchemes)));
    expect(doc.tags.map((t) => t.name)).toEqual(Object.values(tags).map((t) => t.name));
  });

  it('documents every route under /api, each with a summary, a known tag, its security and a success response schema', async () => {
    const { fastify, routes } = await appWithRouteLog();
    const doc = (await fastify.inject('/api/openapi.json')).json<OpenApiDocument>();
    const known = new Set<string>(Object.values(tags).map((t) => t.name));
    const schemes = new Set(Object.keys(securitySchemes));
    const api = routes.flatMap((route) => (Array.isArray(route.method) ? route.method : [route.method]).map((method) => ({ method: method.toLowerCase(), url: route.url })))
      .filter((r) => r.url.startsWith('/api/') && r.method !== 'head' && r.method !== 'options');
    expect(api.length).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const { method, url } of api) {
      const op = doc.paths[openapiPath(url)]?.[method];
      const name = `${method.toUpperCase()} ${url}`;
      if (!op) {
        problems.push(`${name}: missing`);
        continue;
      }
      if (!op.summary || op.summary.length < 8) problems.push(`${name}: no summary`);
      if (op.tags?.length !== 1 || !known.has(op.tags[0]!)) problems.push(`${name}: tags ${JSON.stringify(op.tags)}`);
      if (!Array.isArray(op.security)) problems.push(`${name}: no security requirement`);
      else for (const requirement of op.security) for (const scheme of Object.keys(requirement)) if (!schemes.has(scheme)) problems.push(`${name}: unknown scheme ${scheme}`);
      const success = Object.entries(op.responses ?? {}).find(([code]) => /^2\d\d$/.test(code));
      if (!success) problems.push(`${name}: no 2xx response`);
      else if (success[0] !== '204' && !success[1].content?.['application/json']?.schema) problems.push(`${name}: no ${success[0]} schema`);
      if (!Object.keys(op.responses ?? {}).some((code) => /^[45]/.test(code))) problems.push(`${name}: no error response`);
    }
    expect(problems).toEqual([]);
  });

  it('says how each kind of caller authenticates', async () => {
    const { fastify } = await appWithRouteLog();
    const doc = (await fastify.inject('/api/openapi.json')).json<OpenApiDocument>();
    const security = (method: string, path: string) => doc.paths[path]?.[method]?.security;
    expect(security('get', '/api/chats')).toEqual([{ agentJwt: [] }]);
    expect(security('post', '/api/transfer_to_agent')).toEqual([{ companyApiKey: [] }]);
    expect(security('post', '/api/chatbot')).toEqual([{ visitorSession: [] }]);
    expect(security('post', '/api/auth/login')).toEqual([]);
    // Static assets are not part of the API description.
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/api/') && !['/health', '/uploads/{id}', '/ws', '/ws/agent'].includes(p))).toEqual([]);
  });
});
