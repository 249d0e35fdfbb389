import fp from 'fastify-plugin';
import type { ParleyConfig } from '../config.js';
import { Sealer } from '../lib/sealed.js';
import { loadOrCreateSecret } from '../lib/secret.js';
import { FlowAdminStore } from './store.js';
import { FlowAdmin } from './service.js';

declare module 'fastify' {
  interface FastifyInstance {
    flowAdmin: FlowAdmin;
  }
}

/** The flow admin capability: each company's admins manage their own bot (see `routes.ts`). */
export default fp(
  async (app, opts: { config: ParleyConfig }) => {
    const secret = opts.config.secret ?? loadOrCreateSecret(opts.config.dataDir);
    app.decorate('flowAdmin', new FlowAdmin(new FlowAdminStore(app.db), app.flows, new Sealer(secret, 'flow-http-header')));
  },
  { name: 'flow-admin', dependencies: ['database', 'flows'] },
);
