import fp from 'fastify-plugin';
import type { ParleyConfig } from './config.js';
import database from './plugins/external/database.js';
import websocket from './plugins/external/websocket.js';
import cookie from './plugins/external/cookie.js';
import cors from './plugins/external/cors.js';
import multipart from './plugins/external/multipart.js';
import rateLimit from './plugins/external/rate-limit.js';
import jwt from './plugins/external/jwt.js';
import errorHandler from './plugins/app/error-handler.js';
import bus from './plugins/app/bus.js';
import outbox from './plugins/app/outbox.js';
import companies from './plugins/app/companies.js';
import flows from './plugins/app/flows.js';
import conversations from './plugins/app/conversations.js';
import leads from './plugins/app/leads.js';
import uploads from './plugins/app/uploads.js';
import chat from './plugins/app/chat.js';
import presence from './plugins/app/presence.js';
import users from './plugins/app/users.js';
import auth from './plugins/app/auth.js';
import searchIndex from './plugins/app/search-index.js';
import inbox from './plugins/app/inbox.js';
import handoff from './plugins/app/handoff.js';
import ai from './plugins/app/ai.js';
import restChat from './plugins/app/rest-chat.js';
import identity from './plugins/app/identity.js';
import webhooks from './plugins/app/webhooks.js';
import erasure from './plugins/app/erasure.js';
import savedReplies from './plugins/app/saved-replies.js';
import notes from './plugins/app/notes.js';
import { attributesPlugin } from './attributes/index.js';
import healthRoutes from './routes/health/index.js';
import chatbotRoutes from './routes/chatbot/index.js';
import uploadRoutes from './routes/uploads/index.js';
import visitorSocketRoutes from './routes/ws/index.js';
import authRoutes from './routes/auth/index.js';
import userRoutes from './routes/users/index.js';
import companyRoutes from './routes/companies/index.js';
import chatRoutes from './routes/chats/index.js';
import leadRoutes from './routes/leads/index.js';
import transferRoutes from './routes/transfer/index.js';
import agentSocketRoutes from './routes/agent-ws/index.js';
import widgetRoutes from './routes/widget/index.js';
import adminRoutes from './routes/admin/index.js';
import aiRoutes from './routes/ai/index.js';
import restChatRoutes from './routes/rest-chat/index.js';
import webhookRoutes from './routes/webhooks/index.js';
import identityRoutes from './routes/identity/index.js';
import savedReplyRoutes from './routes/saved-replies/index.js';
import { health } from './core/health/index.js';
import { openapi } from './openapi/index.js';
import { metrics } from './metrics/index.js';
import { insights, insightsRoutes, ratingRoutes } from './insights/index.js';
import { articleRoutes, helpCenterRoutes, knowledge } from './knowledge/index.js';
import { flowAdminPlugin, flowAdminRoutes } from './flows-admin/index.js';

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

  // Our capabilities.
  await fastify.register(bus);
  await fastify.register(outbox);
  await fastify.register(companies);
  await fastify.register(flows, { config });
  await fastify.register(conversations);
  await fastify.register(leads);
  await fastify.register(uploads, { config });
  await fastify.register(chat);
  await fastify.register(presence);
  await fastify.register(users, { config });
  await fastify.register(auth);
  await fastify.register(searchIndex);
  await fastify.register(inbox);
  await fastify.register(handoff);
  await fastify.register(ai, { config });
  await fastify.register(restChat);
  await fastify.register(identity, { config });
  await fastify.register(webhooks, { config });
  await fastify.register(erasure, { config });
  await fastify.register(savedReplies);
  await fastify.register(notes);
  await fastify.register(insights);
  await fastify.register(knowledge, { config });
  await fastify.register(attributesPlugin);
  await fastify.register(flowAdminPlugin, { config });
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
