import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';
import type { ParleyConfig } from '../config.js';

/** Multipart uploads: one file per request, at most the configured upload size, few small fields. */
export default fp(
  async (app, opts: { config: ParleyConfig }) => {
    await app.register(multipart, {
      limits: { fileSize: opts.config.limits.maxUploadBytes, files: 1, fields: 5, fieldSize: 1024, parts: 6, headerPairs: 50 },
    });
  },
  { name: 'multipart' },
);
