export * from './api/http.js';
export * from './api/errors.js';
export * from './api/agent-socket.js';
export * from './store/session-store.js';
export * from './store/inbox-store.js';
export * from './store/note-book.js';
export * from './store/chat-order.js';
export * from './events/index.js';
