import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { ParleyConfig } from '../config.js';
import { Sealer } from '../lib/sealed.js';
import { loadOrCreateSecret } from '../lib/secret.js';
import type { Database } from '../db/database.js';

/**
 * What a stored secret is for. Each purpose seals with its own key derived from the instance
 * secret, and the names are part of every sealed value already stored: never rename one.
 */
export type SealPurpose = 'ai-api-key' | 'identity-secret' | 'webhook-secret' | 'flow-http-header';

/** The instance secret and the sealers derived from it. */
export interface Secrets {
  /** `PARLEY_SECRET`, or the one made once (in the database on PostgreSQL, else `<dataDir>/secret`): signs dashboard tokens. */
  readonly instance: string;
  /** The sealer of one purpose (made once, then shared). */
  sealer(purpose: SealPurpose): Sealer;
}

/** The secrets derived from an instance secret. */
export function secretsOf(instance: string): Secrets {
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

/** The secrets of a server built with `config`; reads or creates `<dataDir>/secret` when `PARLEY_SECRET` is unset. */
export function loadSecrets(config: Pick<ParleyConfig, 'secret' | 'dataDir'>): Secrets {
  return secretsOf(config.secret ?? loadOrCreateSecret(config.dataDir));
}

/**
 * The instance secret every node shares on PostgreSQL when `PARLEY_SECRET` is unset: the one the
 * first node stored. A node that already had `<dataDir>/secret` (a server that ran on PostgreSQL
 * before the secret moved into the database) offers that one, so its sealed settings still open.
 */
export async function sharedInstanceSecret(db: Kysely<Database>, dataDir: string): Promise<string> {
  const file = join(dataDir, 'secret');
  const offered = existsSync(file) ? loadOrCreateSecret(dataDir) : randomBytes(48).toString('base64url');
  await db
    .insertInto('instance_secret')
    .values({ id: 1, value: offered, created_at: new Date().toISOString() })
    .onConflict((c) => c.column('id').doNothing())
    .execute();
  const { value } = await db.selectFrom('instance_secret').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
  return value;
}

/**
 * Loads the instance secret once for every capability that signs or seals with it (tokens, AI
 * keys, identity and webhook secrets, flow HTTP headers), instead of each reading the file itself:
 * `PARLEY_SECRET`, else on PostgreSQL the one all nodes share in the database, else
 * `<dataDir>/secret`.
 */
export default fp(
  async (app) => {
    const { secret, dataDir } = app.config;
    const shared = !secret && app.database.dialect === 'postgres';
    app.decorate('secrets', shared ? secretsOf(await sharedInstanceSecret(app.db, dataDir)) : loadSecrets(app.config));
  },
  { name: 'secrets', dependencies: ['database'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    secrets: Secrets;
  }
}
