/*
 * Third-party Fastify plugins, each wrapped once with Parley's settings and a plugin `name` the
 * capabilities list in their `dependencies`.
 */
export { default as database } from './database.js';
export { default as websocket } from './websocket.js';
export { default as cookie } from './cookie.js';
export { default as cors } from './cors.js';
export { default as multipart } from './multipart.js';
export { default as rateLimit } from './rate-limit.js';
export { default as jwt } from './jwt.js';
