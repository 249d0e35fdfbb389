import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';

/** Multipart uploads: one file per request, at most the configured upload size, few small fields. */
export default fp(
  async (app) => {
    await app.register(multipart, {
      limits: { fileSize: app.config.limits.maxUploadBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6, headerPairs: 50 },
    });
  },
  { name: 'multipart' },
);
