import fp from 'fastify-plugin';
import cors from '@fastify/cors';

/**
 * CORS for pages that embed the widget on their own origin. A browser origin is allowed when a
 * company allows it (or a company allows any origin, the demo default); handlers that know their
 * company check it again against that company alone. No credentials: sessions travel in bodies.
 */
export default fp(
  async (app) => {
    await app.register(cors, {
      origin: (origin, callback) => callback(null, origin === undefined || app.companies.allowsOriginAnywhere(origin)),
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-site-key', 'x-parley-session'],
      maxAge: 600,
      credentials: false,
    });
  },
  { name: 'cors', dependencies: ['companies'] },
);
