import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ApiError,
  CreateWebhookRequest,
  Strict,
  UpdateWebhookRequest,
  WebhookDeliveryDetail,
  WebhookDeliveryList,
  WebhookDeliveryListQuery,
  WebhookDeliveryResponse,
  WebhookEndpointList,
  WebhookEndpointResponse,
} from '@parley/protocol';
import { perAccount } from '../accounts/auth.js';
import { agentAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('webhooks')], security: agentAuth };

const EndpointParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const DeliveryParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }), deliveryId: Type.String({ minLength: 1, maxLength: 20 }) });
const EmptyBody = Type.Union([Strict({}), Type.Null()]);
const errors = { '4xx': ApiError, '5xx': ApiError } as const;

/**
 * The company's webhook endpoints and their delivery log (admins only): add, change, rotate the
 * secret (the previous one signing too for a grace period), remove; list deliveries, see one with
 * its attempts and body, redeliver, send a test event. Another company's endpoint or delivery
 * answers 404.
 */
const webhooks: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.requireRole('admin'));
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };

  app.get('/api/webhooks', { config, schema: { summary: 'List webhook endpoints (admins)', ...openapi, response: { 200: WebhookEndpointList, ...errors } } }, async (request) => ({
    endpoints: await app.webhooks.endpoints.list(request.user.companyId),
  }));

  app.post(
    '/api/webhooks',
    { config, schema: { summary: 'Add a webhook endpoint; its signing secret is returned once (admins)', ...openapi, body: CreateWebhookRequest, response: { 201: WebhookEndpointResponse, ...errors } } },
    async (request, reply) => reply.code(201).send(await app.webhooks.endpoints.create(request.user.companyId, request.body)),
  );

  app.get('/api/webhooks/:id', { config, schema: { summary: 'Get a webhook endpoint (admins)', ...openapi, params: EndpointParams, response: { 200: WebhookEndpointResponse, ...errors } } }, async (request) => ({
    endpoint: await app.webhooks.endpoints.get(request.user.companyId, request.params.id),
  }));

  app.patch(
    '/api/webhooks/:id',
    { config, schema: { summary: 'Change a webhook endpoint or rotate its secret (admins)', ...openapi, params: EndpointParams, body: UpdateWebhookRequest, response: { 200: WebhookEndpointResponse, ...errors } } },
    async (request) => {
      const { rotate_secret, expire_previous_secret, ...changes } = request.body;
      return app.webhooks.endpoints.update(request.user.companyId, request.params.id, { ...changes, rotateSecret: rotate_secret, expirePreviousSecret: expire_previous_secret });
    },
  );

  app.delete('/api/webhooks/:id', { config, schema: { summary: 'Remove a webhook endpoint with its queue and log (admins)', ...openapi, params: EndpointParams, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await app.webhooks.endpoints.remove(request.user.companyId, request.params.id);
    return reply.code(204).send(null);
  });

  app.post(
    '/api/webhooks/:id/test',
    { config, schema: { summary: 'Send a test event and wait for its first attempt (admins)', ...openapi, params: EndpointParams, body: EmptyBody, response: { 200: WebhookDeliveryResponse, ...errors } } },
    async (request) => ({ delivery: await app.webhooks.sendTest(request.user.companyId, request.params.id) }),
  );

  app.get(
    '/api/webhooks/:id/deliveries',
    { config, schema: { summary: "List an endpoint's deliveries, newest first (admins)", ...openapi, params: EndpointParams, querystring: WebhookDeliveryListQuery, response: { 200: WebhookDeliveryList, ...errors } } },
    async (request) => ({ deliveries: await app.webhooks.deliveries(request.user.companyId, request.params.id, request.query) }),
  );

  app.get(
    '/api/webhooks/:id/deliveries/:deliveryId',
    { config, schema: { summary: 'Get a delivery with its attempts and body (admins)', ...openapi, params: DeliveryParams, response: { 200: WebhookDeliveryDetail, ...errors } } },
    async (request) => app.webhooks.delivery(request.user.companyId, request.params.id, request.params.deliveryId),
  );

  app.post(
    '/api/webhooks/:id/deliveries/:deliveryId/redeliver',
    { config, schema: { summary: "Send a delivery's event again (admins)", ...openapi, params: DeliveryParams, body: EmptyBody, response: { 201: WebhookDeliveryResponse, ...errors } } },
    async (request, reply) =>
      reply.code(201).send({ delivery: await app.webhooks.redeliver(request.user.companyId, request.params.id, request.params.deliveryId) }),
  );
};

export default webhooks;
