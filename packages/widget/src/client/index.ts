export { ParleyClient } from './parley-client.js';
export { UploadError, uploadImage } from './upload.js';
export { backoffDelay } from './backoff.js';
export type {
  ClientEventMap,
  ClientEventName,
  ClientListener,
  ConnectionState,
  HandoffInfo,
  IdentityResult,
  InputHint,
  LeadInfo,
  ParleyClientOptions,
  PendingMessage,
  StorageLike,
  TypingInfo,
  VisitorIdentity,
  WebSocketConstructor,
} from './types.js';
export type { ChatMessage, Component, ConversationStatus } from '../protocol.js';
