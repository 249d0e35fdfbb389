import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';

/**
 * `@fastify/jwt` pinned to HS256 for both signing and verifying (so `alg: none` and algorithm
 * swaps are refused), with the instance secret (`PARLEY_SECRET` or `<dataDir>/secret`, see `core/secrets.ts`).
 */
export default fp(
  async (app) => {
    await app.register(jwt, {
      secret: app.secrets.instance,
      sign: { algorithm: 'HS256', expiresIn: app.config.tokenTtlSeconds },
      verify: { algorithms: ['HS256'] },
    });
  },
  { name: 'jwt', dependencies: ['secrets'] },
);
