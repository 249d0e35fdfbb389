/*
 * Conversations and their messages (the store on the hot path), the chat service that runs a
 * visitor's turn through the flow, the files visitors attach, and erasure.
 */
export { default as conversations, ConversationStore, hashToken, toChatMessage, type ConversationChanges, type LiveConversation, type NewMessage } from './conversations.js';
export { default as chat, ChatService, type HttpStepRunner } from './chat.js';
export type { AiHooks, HandoffHooks, HandoffRequest, InsightsHooks, KnowledgeHit, KnowledgeHooks, TurnResult, VisitorInfo, VisitorInput } from './chat-types.js';
export { default as uploads, UploadStore, uploadPath } from './uploads.js';
export { default as erasure, ConversationEraser } from './erasure.js';
