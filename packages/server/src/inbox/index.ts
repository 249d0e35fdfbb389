/** The agents' inbox: conversation lists and assignment, full-text search, internal notes and saved replies. */
export { default as inbox, InboxRepository } from './inbox.js';
export { default as searchIndex, type SearchIndex } from './search-index.js';
export { default as notes, ConversationNotes } from './notes.js';
export { default as savedReplies, SavedReplies, MAX_SAVED_REPLIES } from './saved-replies.js';
export { default as savedReplyRoutes } from './saved-replies.routes.js';
