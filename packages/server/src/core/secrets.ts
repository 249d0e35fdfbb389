import fp from 'fastify-plugin';
import type { ParleyConfig } from '../config.js';
import { Sealer } from '../lib/sealed.js';
import { loadOrCreateSecret } from '../lib/secret.js';

/**
 * What a stored secret is for. Each purpose seals with its own key derived from the instance
 * secret, and the names are part of every sealed value already stored: never rename one.
 */
export type SealPurpose = 'ai-api-key' | 'identity-secret' | 'webhook-secret' | 'flow-http-header';

/** The instance secret and the sealers derived from it. */
export interface Secrets {
  /** `PARLEY_SECRET`, or the one made once into `<dataDir>/secret`: signs dashboard tokens. */
  readonly instance: string;
  /** The sealer of one purpose (made once, then shared). */
  sealer(purpose: SealPurpose): Sealer;
}

/** The secrets of a server built with `config`; reads or creates `<dataDir>/secret` when `PARLEY_SECRET` is unset. */
export function loadSecrets(config: Pick<ParleyConfig, 'secret' | 'dataDir'>): Secrets {
  const instance = config.secret ?? loadOrCreateSecret(config.dataDir);
  const sealers = new Map<SealPurpose, Sealer>();
  return {
    instance,
    sealer(purpose) {
      let sealer = sealers.get(purpose);
      if (!sealer) sealers.set(purpose, (sealer = new Sealer(instance, purpose)));
      return sealer;
    },
  };
}

/**
 * Loads the instance secret once for every capability that signs or seals with it (tokens, AI
 * keys, identity and webhook secrets, flow HTTP headers), instead of each reading the file itself.
 */
export default fp(
  async (app) => {
    app.decorate('secrets', loadSecrets(app.config));
  },
  { name: 'secrets' },
);

declare module 'fastify' {
  interface FastifyInstance {
    secrets: Secrets;
  }
}
