import fp from 'fastify-plugin';
import type { ParleyConfig } from './config.js';
// Platform: third-party libraries wrapped, then our own.
import { cookie, cors, database, jwt, multipart, rateLimit, websocket } from './external/index.js';
import { bus, errorHandler, health, healthRoutes, leader, outbox, presence, secrets } from './core/index.js';
// Capabilities, each through its index.
import { companies, companyRoutes } from './companies/index.js';
import { flowAdminPlugin, flowAdminRoutes, flows } from './flows/index.js';
import { chat, conversations, erasure, uploads } from './conversations/index.js';
import { leadRoutes, leads } from './leads/index.js';
import { auth, authRoutes, userRoutes, users } from './accounts/index.js';
import { inbox, notes, savedReplies, savedReplyRoutes, searchIndex } from './inbox/index.js';
import { handoff, handoffPolicy, transferRoutes } from './handoff/index.js';
import { ai, aiRoutes } from './ai/index.js';
import { identity, identityRoutes } from './identity/index.js';
import { webhookRoutes, webhooks } from './webhooks/index.js';
import { insights, insightsRoutes, ratingRoutes } from './insights/index.js';
import { articleRoutes, helpCenterRoutes, knowledge } from './knowledge/index.js';
import { attributesPlugin } from './attributes/index.js';
import { openapi } from './openapi/index.js';
import { metrics } from './metrics/index.js';
// Channels, on top.
import { chatbotRoutes, restChat, restChatRoutes, uploadRoutes, visitorSocketRoutes, widgetRoutes } from './visitors/index.js';
import { adminRoutes, agentSocketRoutes, chatRoutes } from './agents/index.js';

/** Options of the app plugin. */
export interface AppOptions {
  config: ParleyConfig;
}

/**
 * The whole Parley app as one Fastify plugin: libraries first, then our capabilities, then routes.
 * Every plugin is imported explicitly so the list reads as the app's table of contents.
 */
export const app = fp<AppOptions>(async (fastify, { config }) => {
  // Every plugin below reads its settings here, never from the environment.
  fastify.decorate('config', config);

  // Third-party libraries, wrapped.
  await fastify.register(errorHandler);
  await fastify.register(database);
  await fastify.register(cookie);
  await fastify.register(multipart);
  await fastify.register(rateLimit);
  await fastify.register(websocket);
  await fastify.register(secrets);
  await fastify.register(jwt);

  // Our capabilities. The chat's ports come before it (hand-off policy, AI, insights, knowledge,
  // `http` steps): it takes them in its constructor. What acts through the chat comes after it.
  await fastify.register(bus);
  await fastify.register(outbox);
  await fastify.register(leader);
  await fastify.register(companies);
  await fastify.register(flows);
  await fastify.register(conversations);
  await fastify.register(leads);
  await fastify.register(uploads);
  await fastify.register(presence);
  await fastify.register(handoffPolicy);
  await fastify.register(ai);
  await fastify.register(insights);
  await fastify.register(knowledge);
  await fastify.register(flowAdminPlugin);
  await fastify.register(chat);
  await fastify.register(users);
  await fastify.register(auth);
  await fastify.register(searchIndex);
  await fastify.register(inbox);
  await fastify.register(handoff);
  await fastify.register(restChat);
  await fastify.register(identity);
  await fastify.register(webhooks);
  await fastify.register(erasure);
  await fastify.register(savedReplies);
  await fastify.register(notes);
  await fastify.register(attributesPlugin);
  await fastify.register(cors);
  await fastify.register(health);
  await fastify.register(metrics);

  // Routes.
  await fastify.register(openapi); // first: it collects the routes as they are added
  await fastify.register(healthRoutes);
  await fastify.register(chatbotRoutes);
  await fastify.register(uploadRoutes);
  await fastify.register(visitorSocketRoutes);
  await fastify.register(authRoutes);
  await fastify.register(userRoutes);
  await fastify.register(companyRoutes);
  await fastify.register(chatRoutes);
  await fastify.register(leadRoutes);
  await fastify.register(transferRoutes);
  await fastify.register(agentSocketRoutes);
  await fastify.register(aiRoutes);
  await fastify.register(restChatRoutes);
  await fastify.register(webhookRoutes);
  await fastify.register(identityRoutes);
  await fastify.register(savedReplyRoutes);
  await fastify.register(ratingRoutes);
  await fastify.register(insightsRoutes);
  await fastify.register(articleRoutes);
  await fastify.register(helpCenterRoutes);
  await fastify.register(flowAdminRoutes);
  await fastify.register(widgetRoutes);
  await fastify.register(adminRoutes);
}, { name: 'parley' });

declare module 'fastify' {
  interface FastifyInstance {
    /** The configuration the server was built with (`loadConfig`): what every plugin reads its settings from. */
    config: ParleyConfig;
  }
}
