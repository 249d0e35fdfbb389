import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { Errors } from '../errors.js';

/**
 * Per-IP request limits. Off by default; a route opts in with `config.rateLimit`, so each area
 * sets the rate that suits it.
 */
export default fp(
  async (app) => {
    await app.register(rateLimit, {
      global: false,
      errorResponseBuilder: (_request, context) => {
        const error = Errors.rateLimited(`Too many requests, please retry in ${Math.ceil(context.ttl / 1000)} s`);
        return Object.assign(error, { statusCode: context.statusCode });
      },
    });
  },
  { name: 'rate-limit' },
);
