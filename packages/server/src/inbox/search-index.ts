import fp from 'fastify-plugin';
import { PostgresSearchIndex } from './postgres-search.js';
import { SqliteSearchIndex } from './sqlite-search.js';
import type { SearchIndex } from './search-types.js';

export type { SearchIndex } from './search-types.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The message search; on SQLite `flush()` before reading `messages_fts` directly. */
    searchIndex: SearchIndex;
  }
}

export default fp(
  async (app) => {
    const database = app.database;
    const index: SearchIndex =
      database.dialect === 'sqlite'
        ? new SqliteSearchIndex(database, app.writes, (error) => app.log.error({ err: error }, 'search indexing failed'))
        : new PostgresSearchIndex(database);
    app.decorate('searchIndex', index);
    app.addHook('onClose', async () => {
      index.stop();
      // What is left is indexed at the next start's first flush; try now while writes are open.
      await index.flush().catch(() => undefined);
    });
  },
  { name: 'search-index', dependencies: ['database'] },
);
