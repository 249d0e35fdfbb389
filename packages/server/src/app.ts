import fp from 'fastify-plugin';
import type { ParleyConfig } from './config.js';
// Platform: third-party libraries wrapped, then our own.
import { cookie, cors, database, jwt, multipart, rateLimit, websocket } from './external/index.js';
import { bus, errorHandler, health, healthRoutes, outbox, presence } from './core/index.js';
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
  // Third-party libraries, wrapped.
  await fastify.register(errorHandler);
  await fastify.register(database, { config });
  await fastify.register(cookie);
  await fastify.register(multipart, { config });
  await fastify.register(rateLimit);
  await fastify.register(websocket);
  await fastify.register(jwt, { config });

  // Our capabilities. The chat's ports come before it (hand-off policy, AI, insights, knowledge,
  // `http` steps): it takes them in its constructor. What acts through the chat comes after it.
  await fastify.register(bus);
  await fastify.register(outbox);
  await fastify.register(companies);
  await fastify.register(flows, { config });
  await fastify.register(conversations);
  await fastify.register(leads);
  await fastify.register(uploads, { config });
  await fastify.register(presence);
  await fastify.register(handoffPolicy);
  await fastify.register(ai, { config });
  await fastify.register(insights);
  await fastify.register(knowledge, { config });
  await fastify.register(flowAdminPlugin, { config });
  await fastify.register(chat);
  await fastify.register(users, { config });
  await fastify.register(auth);
  await fastify.register(searchIndex);
  await fastify.register(inbox);
  await fastify.register(handoff);
  await fastify.register(restChat);
  await fastify.register(identity, { config });
  await fastify.register(webhooks, { config });
  await fastify.register(erasure, { config });
  await fastify.register(savedReplies);
  await fastify.register(notes);
  await fastify.register(attributesPlugin);
  await fastify.register(cors);
  await fastify.register(health);
  await fastify.register(metrics, { config });

  // Routes.
  await fastify.register(openapi); // first: it collects the routes as they are added
  await fastify.register(healthRoutes);
  await fastify.register(chatbotRoutes, { config });
  await fastify.register(uploadRoutes, { config });
  await fastify.register(visitorSocketRoutes, { config });
  await fastify.register(authRoutes, { config });
  await fastify.register(userRoutes, { config });
  await fastify.register(companyRoutes, { config });
  await fastify.register(chatRoutes, { config });
  await fastify.register(leadRoutes, { config });
  await fastify.register(transferRoutes, { config });
  await fastify.register(agentSocketRoutes, { config });
  await fastify.register(aiRoutes, { config });
  await fastify.register(restChatRoutes, { config });
  await fastify.register(webhookRoutes, { config });
  await fastify.register(identityRoutes, { config });
  await fastify.register(savedReplyRoutes, { config });
  await fastify.register(ratingRoutes, { config });
  await fastify.register(insightsRoutes, { config });
  await fastify.register(articleRoutes, { config });
  await fastify.register(helpCenterRoutes);
  await fastify.register(flowAdminRoutes, { config });
  await fastify.register(widgetRoutes);
  await fastify.register(adminRoutes);
}, { name: 'parley' });
