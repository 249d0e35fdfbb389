import fp from 'fastify-plugin';
import type { ParleyConfig } from './config.js';
import database from './external/database.js';
import websocket from './external/websocket.js';
import cookie from './external/cookie.js';
import cors from './external/cors.js';
import multipart from './external/multipart.js';
import rateLimit from './external/rate-limit.js';
import jwt from './external/jwt.js';
import secrets from './core/secrets.js';
import errorHandler from './core/error-handler.js';
import bus from './core/bus.js';
import outbox from './core/outbox.js';
import companies from './companies/companies.js';
import flows from './flows/flows.plugin.js';
import conversations from './conversations/conversations.js';
import leads from './leads/leads.js';
import uploads from './visitors/uploads.js';
import chat from './conversations/chat.js';
import presence from './core/presence.js';
import users from './accounts/users.js';
import auth from './accounts/auth.js';
import searchIndex from './inbox/search-index.js';
import inbox from './inbox/inbox.js';
import handoff from './handoff/handoff.js';
import ai from './ai/ai.plugin.js';
import restChat from './visitors/rest-chat.js';
import identity from './identity/identity.js';
import webhooks from './webhooks/webhooks.js';
import erasure from './conversations/erasure.js';
import savedReplies from './inbox/saved-replies.js';
import notes from './inbox/notes.js';
import { attributesPlugin } from './attributes/index.js';
import healthRoutes from './core/health/status.routes.js';
import chatbotRoutes from './visitors/chatbot.routes.js';
import uploadRoutes from './visitors/uploads.routes.js';
import visitorSocketRoutes from './visitors/socket.routes.js';
import authRoutes from './accounts/auth.routes.js';
import userRoutes from './accounts/users.routes.js';
import companyRoutes from './companies/companies.routes.js';
import chatRoutes from './agents/chats.routes.js';
import leadRoutes from './leads/leads.routes.js';
import transferRoutes from './handoff/transfer.routes.js';
import agentSocketRoutes from './agents/socket.routes.js';
import widgetRoutes from './visitors/widget.routes.js';
import adminRoutes from './agents/dashboard.routes.js';
import aiRoutes from './ai/ai.routes.js';
import restChatRoutes from './visitors/rest-chat.routes.js';
import webhookRoutes from './webhooks/webhooks.routes.js';
import identityRoutes from './identity/identity.routes.js';
import savedReplyRoutes from './inbox/saved-replies.routes.js';
import { health } from './core/health/index.js';
import { openapi } from './openapi/index.js';
import { metrics } from './metrics/index.js';
import { insights, insightsRoutes, ratingRoutes } from './insights/index.js';
import { articleRoutes, helpCenterRoutes, knowledge } from './knowledge/index.js';
import { flowAdminPlugin, flowAdminRoutes } from './flows/builder/index.js';

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

  // Our capabilities.
  await fastify.register(bus);
  await fastify.register(outbox);
  await fastify.register(companies);
  await fastify.register(flows);
  await fastify.register(conversations);
  await fastify.register(leads);
  await fastify.register(uploads);
  await fastify.register(chat);
  await fastify.register(presence);
  await fastify.register(users);
  await fastify.register(auth);
  await fastify.register(searchIndex);
  await fastify.register(inbox);
  await fastify.register(handoff);
  await fastify.register(ai);
  await fastify.register(restChat);
  await fastify.register(identity);
  await fastify.register(webhooks);
  await fastify.register(erasure);
  await fastify.register(savedReplies);
  await fastify.register(notes);
  await fastify.register(insights);
  await fastify.register(knowledge);
  await fastify.register(attributesPlugin);
  await fastify.register(flowAdminPlugin);
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
