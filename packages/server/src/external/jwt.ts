import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { ParleyConfig } from '../config.js';

/**
 * `@fastify/jwt` pinned to HS256 for both signing and verifying (so `alg: none` and algorithm
 * swaps are refused), with the instance secret (`PARLEY_SECRET` or `<dataDir>/secret`, see `core/secrets.ts`).
 */
export default fp(
  async (app, opts: { config: ParleyConfig }) => {
    await app.register(jwt, {
      secret: app.secrets.instance,
      sign: { algorithm: 'HS256', expiresIn: opts.config.tokenTtlSeconds },
      verify: { algorithms: ['HS256'] },
    });
  },
  { name: 'jwt', dependencies: ['secrets'] },
);
