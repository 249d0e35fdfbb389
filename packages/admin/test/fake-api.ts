import type { ChatSummary, NoteView, SavedReplyView, User } from '@parley/protocol';

/** A request the fake API received. */
export interface FakeCall {
  method: string;
  /** The path with its query string, e.g. `/api/chats?limit=100`. */
  path: string;
  authorization: string | undefined;
}

/** What a route of the fake API answers: a status (200 unless said) and a JSON body, or plain `text`. */
export interface FakeAnswer {
  status?: number;
  body?: unknown;
  text?: string;
}

/**
 * A `fetch` that answers the dashboard's REST calls from a function instead of a server, and
 * records every call, for tests of what the dashboard sends (and when it must send nothing).
 *
 * @example const api = fakeApi((call) => (call.method === 'DELETE' ? { status: 204 } : { body: { chats: [] } }));
 */
export function fakeApi(answer: (call: FakeCall, body: unknown) => FakeAnswer | undefined): { fetch: typeof fetch; calls: FakeCall[] } {
  const calls: FakeCall[] = [];
  const respond = async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(String(input), 'http://parley.test');
    const headers = (init.headers ?? {}) as Record<string, string>;
    const call: FakeCall = { method: init.method ?? 'GET', path: `${url.pathname}${url.search}`, authorization: headers.authorization };
    calls.push(call);
    const { status = 200, body, text } = answer(call, init.body ? JSON.parse(String(init.body)) : undefined) ?? { status: 404, body: { statusCode: 404, code: 'not_found', error: 'Not Found', message: 'Not found' } };
    if (text !== undefined) return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    return new Response(status === 204 ? null : JSON.stringify(body ?? {}), { status, headers: { 'content-type': 'application/json' } });
  };
  return { fetch: respond as typeof fetch, calls };
}

/**
 * Answers `GET /api/chats?...` from a list of chats as the server does: newest activity first
 * (`updated_at`, then id, descending), filtered by `status`, `assignee` (`me` is `meId`) and
 * `before`, cut at `limit` (50 unless given).
 */
export function chatListAnswer(chats: readonly ChatSummary[], call: FakeCall, meId = 'u-admin'): FakeAnswer {
  const query = new URL(call.path, 'http://parley.test').searchParams;
  const status = query.get('status');
  const assignee = query.get('assignee');
  const before = query.get('before');
  const beforeId = query.get('before_id');
  const older = (chat: ChatSummary) => !before || chat.updated_at < before || (!!beforeId && chat.updated_at === before && chat.id < beforeId);
  const answer = chats
    .filter((chat) => (!status || chat.status === status) && (!assignee || chat.assignee?.id === (assignee === 'me' ? meId : assignee)) && older(chat))
    .sort((a, b) => b.updated_at.localeCompare(a.updated_at) || b.id.localeCompare(a.id))
    .slice(0, Number(query.get('limit') ?? 50));
  return { body: { chats: answer } };
}

/** A saved reply with the dates filled in. */
export function savedReply(shortcut: string, text: string, id = `sr-${shortcut}`): SavedReplyView {
  return { id, shortcut, text, created_at: '2026-11-21T09:00:00.000Z', updated_at: '2026-11-21T09:00:00.000Z' };
}

/**
 * A company's saved replies in memory, answering `/api/saved-replies` as the server does: listed
 * by shortcut, 201 on create, 409 `conflict` for a taken shortcut, 404 for an unknown id, 204 on
 * delete. Answers undefined (so the caller can go on) for any other path.
 *
 * @example const replies = savedRepliesAnswer([savedReply('hi', 'Hello!')]); fakeApi((call, body) => replies(call, body));
 */
export function savedRepliesAnswer(initial: readonly SavedReplyView[] = []): (call: FakeCall, body: unknown) => FakeAnswer | undefined {
  const replies = new Map(initial.map((reply) => [reply.id, reply]));
  const error = (status: number, code: string, message: string): FakeAnswer => ({ status, body: { statusCode: status, code, error: code, message } });
  const taken = (shortcut: string | undefined, id?: string) => [...replies.values()].some((r) => r.shortcut === shortcut && r.id !== id);
  return (call, body) => {
    const match = /^\/api\/saved-replies(?:\/([^/?]+))?$/.exec(call.path);
    if (!match) return undefined;
    const id = match[1] && decodeURIComponent(match[1]);
    const fields = (body ?? {}) as Partial<SavedReplyView>;
    if (call.method === 'GET' && !id) return { body: { replies: [...replies.values()].sort((a, b) => (a.shortcut < b.shortcut ? -1 : 1)) } };
    if (call.method === 'POST' && !id) {
      if (taken(fields.shortcut)) return error(409, 'conflict', `The shortcut /${fields.shortcut} is already used.`);
      const reply = savedReply(fields.shortcut!, fields.text!, `sr-${replies.size + 1}-${fields.shortcut}`);
      replies.set(reply.id, reply);
      return { status: 201, body: { reply } };
    }
    const existing = id ? replies.get(id) : undefined;
    if (!existing) return error(404, 'not_found', 'Saved reply not found.');
    if (call.method === 'PATCH') {
      if (taken(fields.shortcut, existing.id)) return error(409, 'conflict', `The shortcut /${fields.shortcut} is already used.`);
      const reply = { ...existing, ...fields, updated_at: '2026-11-22T09:00:00.000Z' };
      replies.set(reply.id, reply);
      return { body: { reply } };
    }
    if (call.method === 'DELETE') {
      replies.delete(existing.id);
      return { status: 204 };
    }
    return undefined;
  };
}

/**
 * The internal notes of the company's conversations in memory, answering
 * `/api/chats/:id/notes[/:noteId]` for `who` as the server does: listed oldest first, 201 with the
 * note signed by `who` on create, 204 on delete, 403 `forbidden` when an agent deletes someone
 * else's note, 404 for an unknown note. Answers undefined for any other path. `notes` is the
 * server's store: a test changes it as a colleague would (and sends the frame that goes with it).
 *
 * @example const notes = notesAnswer(user('agent'), [note('n1', 'VIP')]); fakeApi((call, body) => notes(call, body));
 */
export function notesAnswer(who: User, notes: NoteView[] = []): (call: FakeCall, body: unknown) => FakeAnswer | undefined {
  let made = 0;
  const error = (status: number, code: string, message: string): FakeAnswer => ({ status, body: { statusCode: status, code, error: code, message } });
  return (call, body) => {
    const match = /^\/api\/chats\/([^/?]+)\/notes(?:\/([^/?]+))?$/.exec(call.path);
    if (!match) return undefined;
    const conversationId = decodeURIComponent(match[1]!);
    const noteId = match[2] && decodeURIComponent(match[2]);
    if (call.method === 'GET' && !noteId) return { body: { notes: notes.filter((n) => n.conversation_id === conversationId) } };
    if (call.method === 'POST' && !noteId) {
      const note: NoteView = { id: `n-new-${++made}`, conversation_id: conversationId, author: { id: who.id, name: who.name }, text: (body as { text: string }).text, created_at: new Date().toISOString() };
      notes.push(note);
      return { status: 201, body: { note } };
    }
    const at = notes.findIndex((n) => n.id === noteId && n.conversation_id === conversationId);
    if (call.method !== 'DELETE' || at < 0) return error(404, 'not_found', 'Note not found');
    if (notes[at]!.author.id !== who.id && who.role === 'agent') return error(403, 'forbidden', 'Only its author or an admin can remove a note');
    notes.splice(at, 1);
    return { status: 204 };
  };
}
