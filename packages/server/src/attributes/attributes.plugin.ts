import fp from 'fastify-plugin';
import { AttributesService } from './attributes.service.js';
import { AttributesStore } from './attributes.store.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Page attributes of conversations (`Parley.setAttributes`). */
    attributes: AttributesService;
    attributesStore: AttributesStore;
  }
}

export default fp(
  async (app) => {
    const store = new AttributesStore(app.database, app.writes);
    app.decorate('attributesStore', store);
    app.decorate('attributes', new AttributesService(store));
  },
  { name: 'attributes', dependencies: ['database'] },
);
