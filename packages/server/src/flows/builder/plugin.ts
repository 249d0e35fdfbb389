import fp from 'fastify-plugin';
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
  async (app) => {
    const sealer = app.secrets.sealer('flow-http-header');
    app.decorate('flowAdmin', new FlowAdmin(new FlowAdminStore(app.db), app.flows, sealer));
    // `http` steps call out under the webhooks' guard: private addresses only where webhooks may.
    app.decorate('httpSteps', ((step, vars) => runHttpStep(step, vars, sealer, { allowPrivate: app.config.webhooks.allowPrivate })) satisfies HttpStepRunner);
  },
  { name: 'flow-admin', dependencies: ['database', 'secrets', 'flows'] },
);
