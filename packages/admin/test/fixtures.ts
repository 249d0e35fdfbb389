import type { ChatMessage, ChatSummary, NoteView, User } from '@parley/protocol';

/** A chat summary with sensible defaults. */
export function chat(id: string, extra: Partial<ChatSummary> = {}): ChatSummary {
  return {
    id,
    status: 'bot',
    assignee: null,
    last_message: { seq: 1, role: 'user', text: `hello from ${id}`, created_at: '2026-11-21T10:00:00.000Z' },
    unread_count: 0,
    visitor: { ip: '203.0.113.9', user_agent: null, last_seen_at: null, online: false },
    lead: null,
    created_at: '2026-11-21T09:00:00.000Z',
    updated_at: '2026-11-21T10:00:00.000Z',
    ...extra,
  };
}

/** A one-text message. */
export function msg(seq: number, role: ChatMessage['role'], body: string, extra: Partial<ChatMessage> = {}): ChatMessage {
  return { seq, id: `m${seq}`, role, components: [{ type: 'text', payload: { text: body } }], created_at: '2026-11-21T10:00:00.000Z', ...extra };
}

/** A user of the company; `role` decides what the dashboard offers them. */
export function user(role: User['role'] = 'agent', extra: Partial<User> = {}): User {
  return { id: `u-${role}`, email: `${role}@parley.test`, name: role === 'agent' ? 'Bo' : 'Ada', role, company_id: 'co1', disabled: false, created_at: '2026-11-01T09:00:00.000Z', ...extra };
}

/** An internal note on c1 by Bo (an agent), at `created_at`. */
export function note(id: string, text: string, extra: Partial<NoteView> = {}): NoteView {
  return { id, conversation_id: 'c1', author: { id: 'u-agent', name: 'Bo' }, text, created_at: '2026-11-21T10:00:00.000Z', ...extra };
}
