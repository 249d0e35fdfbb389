/*
 * The visitors' channel, on top of every capability: the visitor socket, the component chat API
 * (`/api/chatbot`), the server-to-server REST chat API, uploads, and the widget's files.
 */
export { default as restChat, RestChatService } from './rest-chat.js';
export { default as restChatRoutes } from './rest-chat.routes.js';
export { default as chatbotRoutes } from './chatbot.routes.js';
export { default as uploadRoutes } from './uploads.routes.js';
export { default as visitorSocketRoutes } from './socket.routes.js';
export { default as widgetRoutes } from './widget.routes.js';
