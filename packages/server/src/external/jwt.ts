import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { ParleyConfig } from '../config.js';
import { loadOrCreateSecret } from '../lib/secret.js';

/**
 * `@fastify/jwt` pinned to HS256 for both signing and verifying (so `alg: none` and algorithm
 * swaps are refused), with the secret from `PARLEY_SECRET` or `<dataDir>/secret`.
 */
export default fp(
  async (app, opts: { config: ParleyConfig }) => {
    await app.register(jwt, {
      secret: opts.config.secret ?? loadOrCreateSecret(opts.config.dataDir),
      sign: { algorithm: 'HS256', expiresIn: opts.config.tokenTtlSeconds },
      verify: { algorithms: ['HS256'] },
    });
  },
  { name: 'jwt' },
);
