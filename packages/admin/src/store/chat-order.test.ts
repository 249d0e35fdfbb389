import { describe, expect, it } from 'vitest';
import { chat, msg } from '../../test/fixtures.js';
import { compareChats, lastSeq, matchesFilter, mergeMessages } from './chat-order.js';

describe('inbox order and filters', () => {
  it('puts the waiting queue first, next in line on top, then the most recent activity', () => {
    const chats = [
      chat('old-bot', { updated_at: '2026-11-21T08:00:00Z', last_message: null }),
      chat('second', { status: 'waiting', queue_position: 2 }),
      chat('new-agent', { status: 'agent', updated_at: '2026-11-21T11:00:00Z', last_message: null }),
      chat('first', { status: 'waiting', queue_position: 1 }),
    ];
    expect(chats.sort(compareChats).map((c) => c.id)).toEqual(['first', 'second', 'new-agent', 'old-bot']);
  });

  it('files chats under the right filters', () => {
    const mine = chat('a', { status: 'agent', assignee: { id: 'u1', name: 'Me' } });
    const theirs = chat('b', { status: 'agent', assignee: { id: 'u2', name: 'Bo' } });
    const done = chat('c', { status: 'resolved' });
    expect(matchesFilter(mine, 'mine', 'u1')).toBe(true);
    expect(matchesFilter(theirs, 'mine', 'u1')).toBe(false);
    expect(matchesFilter(theirs, 'agent', 'u1')).toBe(true);
    expect(matchesFilter(done, 'all', 'u1')).toBe(false);
    expect(matchesFilter(done, 'resolved', 'u1')).toBe(true);
    expect(matchesFilter(chat('d', { status: 'closed' }), 'resolved', 'u1')).toBe(true);
  });

  it('merges messages by seq without duplicates, later copies winning', () => {
    const list = [msg(1, 'bot', 'a'), msg(2, 'user', 'b')];
    const merged = mergeMessages(list, [msg(4, 'agent', 'd'), msg(3, 'bot', 'c'), msg(2, 'user', 'b2')]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(merged[1]!.components[0]).toEqual({ type: 'text', payload: { text: 'b2' } });
    expect(mergeMessages(list, [])).toBe(list);
    expect(lastSeq(merged)).toBe(4);
    expect(lastSeq(undefined)).toBe(0);
  });
});
