/** The agents' channel, on top of every capability: the agent socket, the agents' chat API and the dashboard's files. */
export { default as chatRoutes } from './chats.routes.js';
export { default as agentSocketRoutes } from './socket.routes.js';
export { default as adminRoutes, ADMIN_CSP, type AdminRoutesOptions } from './dashboard.routes.js';
