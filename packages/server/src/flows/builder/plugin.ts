import fp from 'fastify-plugin';
import type { ParleyConfig } from '../../config.js';
import { Sealer } from '../../lib/sealed.js';
import { loadOrCreateSecret } from '../../lib/secret.js';
import { FlowAdminStore } from './store.js';
import { FlowAdmin } from './service.js';
import { runHttpStep } from './http-step.js';
import type { HttpStepRunner } from '../../conversations/chat-types.js';

declare module 'fastify' {
  interface FastifyInstance {
    flowAdmin: FlowAdmin;
    /** Runs a flow's `http` steps (the chat's `http` port). */
    httpSteps: HttpStepRunner;
  }
}

/** The flow admin capability: each company's admins manage their own bot (see `routes.ts`). */
export default fp(
  async (app, opts: { config: ParleyConfig }) => {
    const secret = opts.config.secret ?? loadOrCreateSecret(opts.config.dataDir);
    const sealer = new Sealer(secret, 'flow-http-header');
    app.decorate('flowAdmin', new FlowAdmin(new FlowAdminStore(app.db), app.flows, sealer));
    // `http` steps call out under the webhooks' guard: private addresses only where webhooks may.
    app.decorate('httpSteps', ((step, vars) => runHttpStep(step, vars, sealer, { allowPrivate: opts.config.webhooks.allowPrivate })) satisfies HttpStepRunner);
  },
  { name: 'flow-admin', dependencies: ['database', 'flows'] },
);
