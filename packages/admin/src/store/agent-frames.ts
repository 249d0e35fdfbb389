import type { AgentServerFrame, ChatMessage, ChatSummary } from '@parley/protocol';
import type { NoteBook } from './note-book.js';
import type { TypingTracker } from './typing-tracker.js';

/** The inbox state that frames of `/ws/agent` change (the inbox store's public fields). */
export interface FrameState {
  readonly chats: Map<string, ChatSummary>;
  readonly onlineAgents: Map<string, string>;
  readonly typing: TypingTracker;
  /** Internal notes of the conversations opened. */
  readonly notes: Pick<NoteBook, 'put' | 'drop'>;
  /** Replies not stored yet, by client id: an `error` frame may answer one of them. */
  readonly pending: { has(clientId: string): boolean };
  /** Deleted conversations: frames about them are ignored. */
  readonly deleted: ReadonlySet<string>;
  /** The banner error. */
  error: string;
}

/** What the inbox store does for a frame beyond changing its state. */
export interface FrameSteps {
  /** A message was stored (a visitor's, the bot's, an agent's). */
  receive(conversationId: string, message: ChatMessage): void;
  /** The conversation was deleted: everything about it goes. */
  forget(conversationId: string): void;
  /** The server refused a reply sent over the socket. */
  failReply(clientId: string, reason: string): void;
  /** A visitor asked for a person. */
  handoff(chat: ChatSummary): void;
  /** The conversation has unread visitor messages: read them if it is on screen. */
  readIfOnScreen(conversationId: string): void;
}

/**
 * Applies one frame of the agent socket to the inbox. Returns whether anything changed (the
 * store then tells its listeners). A frame about a deleted conversation changes nothing: it was
 * sent before the deletion reached us and must not bring the conversation back.
 */
export function applyAgentFrame(frame: AgentServerFrame, inbox: FrameState, steps: FrameSteps): boolean {
  const about = 'chat' in frame ? frame.chat.id : 'conversation_id' in frame ? frame.conversation_id : undefined;
  if (about !== undefined && inbox.deleted.has(about)) return false;
  switch (frame.type) {
    case 'ready':
      inbox.onlineAgents.clear();
      for (const agent of frame.online_agents) inbox.onlineAgents.set(agent.id, agent.name);
      return true;
    case 'conversation':
      inbox.chats.set(frame.chat.id, frame.chat);
      if (frame.chat.unread_count > 0) steps.readIfOnScreen(frame.chat.id);
      return true;
    case 'conversation_deleted':
      steps.forget(frame.conversation_id);
      return true;
    case 'handoff':
      inbox.chats.set(frame.chat.id, frame.chat);
      steps.handoff(frame.chat);
      return true;
    case 'message':
      steps.receive(frame.conversation_id, frame.message);
      return true;
    case 'note':
      inbox.notes.put(frame.conversation_id, frame.note);
      return true;
    case 'note_deleted':
      inbox.notes.drop(frame.conversation_id, frame.note_id);
      return true;
    case 'typing':
      inbox.typing.set(frame.conversation_id, frame.role, frame.on, frame.name);
      return true;
    case 'presence': {
      const chat = inbox.chats.get(frame.conversation_id);
      if (chat) inbox.chats.set(chat.id, { ...chat, visitor: { ...chat.visitor, online: frame.online, last_seen_at: new Date().toISOString() } });
      return true;
    }
    case 'agent_presence':
      if (frame.online) inbox.onlineAgents.set(frame.user_id, frame.name);
      else inbox.onlineAgents.delete(frame.user_id);
      return true;
    case 'read': {
      const chat = inbox.chats.get(frame.conversation_id);
      if (chat && chat.last_message && frame.seq >= chat.last_message.seq) inbox.chats.set(chat.id, { ...chat, unread_count: 0 });
      return true;
    }
    case 'error':
      if (frame.id && inbox.pending.has(frame.id)) steps.failReply(frame.id, frame.message);
      else inbox.error = frame.message;
      return true;
    default:
      return false;
  }
}
