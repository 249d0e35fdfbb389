import type { ChatMessage, ChatSummary } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { KnownSummaries } from '../../src/agents/known-summaries.js';

const line = (seq: number, overrides: Partial<ChatSummary> = {}): ChatSummary => ({
  id: 'c1',
  status: 'bot',
  assignee: null,
  last_message: { seq, role: 'bot', text: 'Hello', created_at: '2026-12-05T10:00:00.000Z' },
  unread_count: 2,
  visitor: { ip: null, user_agent: null, last_seen_at: '2026-12-05T09:59:00.000Z', online: true },
  lead: null,
  created_at: '2026-12-05T09:00:00.000Z',
  updated_at: '2026-12-05T10:00:00.000Z',
  ...overrides,
});

const message = (seq: number, role: ChatMessage['role'], text: string, at: string): ChatMessage => ({
  seq,
  id: String(seq),
  role,
  components: [{ type: 'text', payload: { text } }],
  created_at: at,
  status: 'success',
});

describe('the inbox lines a company channel keeps', () => {
  it('brings a line forward by the next messages: last message, unread count, times', () => {
    const known = new KnownSummaries();
    known.remember(line(3), known.version('c1'));
    known.message('c1', message(4, 'user', 'Where is my <b>order</b>?', '2026-12-05T10:01:00.000Z'));
    known.message('c1', message(5, 'bot', 'Let me look.', '2026-12-05T10:01:00.000Z'));
    expect(known.get('c1')).toEqual(
      line(5, {
        last_message: { seq: 5, role: 'bot', text: 'Let me look.', created_at: '2026-12-05T10:01:00.000Z' },
        unread_count: 3,
        visitor: { ip: null, user_agent: null, last_seen_at: '2026-12-05T10:01:00.000Z', online: true },
        updated_at: '2026-12-05T10:01:00.000Z',
      }),
    );
    // A message the line already counts changes nothing.
    known.message('c1', message(5, 'bot', 'Let me look.', '2026-12-05T10:01:00.000Z'));
    expect(known.get('c1')!.last_message!.seq).toBe(5);
  });

  it('forgets a line on a gap, in the queue, or on any other change, so the next one is read', () => {
    const known = new KnownSummaries();
    known.remember(line(3), known.version('c1'));
    known.message('c1', message(5, 'user', 'skipped one', 'later'));
    expect(known.get('c1')).toBeUndefined();

    known.remember(line(3, { status: 'waiting' }), known.version('c1'));
    known.message('c1', message(4, 'user', 'still there?', 'later'));
    expect(known.get('c1')).toBeUndefined();

    known.remember(line(3), known.version('c1'));
    known.forget('c1');
    expect(known.get('c1')).toBeUndefined();
  });

  it('does not keep a read that started before a change, or one behind the line already kept', () => {
    const known = new KnownSummaries();
    const started = known.version('c1');
    known.forget('c1'); // a state change while the read was on its way
    known.remember(line(3), started);
    expect(known.get('c1')).toBeUndefined();

    known.remember(line(3), known.version('c1'));
    known.message('c1', message(4, 'user', 'hi', 'later'));
    known.remember(line(3), known.version('c1'));
    expect(known.get('c1')).toBeUndefined();
  });
});
