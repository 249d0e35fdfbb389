import { describe, expect, it } from 'vitest';
import type { ChatList, ChatSummary } from '@parley/protocol';
import { chat } from '../../test/fixtures.js';
import { ChatPages, missingFromFirstPage } from './chat-pages.js';

/** A chat last active at 10:MM. */
const at = (id: string, minute: number, extra: Partial<ChatSummary> = {}) => chat(id, { updated_at: `2026-11-21T10:${String(minute).padStart(2, '0')}:00.000Z`, ...extra });
const ids = (chats: ChatSummary[]) => chats.map((c) => c.id);

describe('what a first page shows gone', () => {
  it('a short page is the whole list: every chat held that it asks for and lacks is gone', () => {
    const held = [at('a', 1), at('b', 2), at('c', 3)];
    expect(ids(missingFromFirstPage(held, [at('c', 3)], {}, 100, 'u1'))).toEqual(['a', 'b']);
    expect(ids(missingFromFirstPage(held, [], {}, 100, 'u1'))).toEqual(['a', 'b', 'c']);
  });

  it('a full page speaks only for chats newer than its oldest: older ones (and ties) are kept', () => {
    const held = [at('old', 1), at('tie', 5), at('gone', 7), at('kept', 8)];
    const page = [at('kept', 8), at('new', 6), at('edge', 5)];
    expect(ids(missingFromFirstPage(held, page, {}, 3, 'u1'))).toEqual(['gone']);
  });

  it("a status page says nothing about chats of other statuses, nor 'mine' about others' chats", () => {
    const held = [at('w', 1, { status: 'waiting' }), at('b', 2, { status: 'bot' }), at('mine', 3, { status: 'agent', assignee: { id: 'u1', name: 'Ada' } }), at('eve', 4, { status: 'agent', assignee: { id: 'u2', name: 'Eve' } })];
    expect(ids(missingFromFirstPage(held, [], { status: 'waiting' }, 100, 'u1'))).toEqual(['w']);
    expect(ids(missingFromFirstPage(held, [], { assignee: 'me' }, 100, 'u1'))).toEqual(['mine']);
    expect(ids(missingFromFirstPage(held, [], { assignee: 'me' }, 100, undefined))).toEqual([]);
  });
});

describe('chat pages', () => {
  it("asks for the page after the oldest chat held, by time and id, so chats sharing that time are not skipped", async () => {
    const asked: Array<Record<string, unknown>> = [];
    const pages = new ChatPages({
      fetch: async (query) => {
        asked.push({ ...query });
        return { chats: [] };
      },
      me: () => 'u1',
      listable: () => true,
      kept: () => false,
    });
    pages.chats.set('b', at('b', 5));
    pages.chats.set('a', at('a', 5));
    pages.chats.set('c', at('c', 7));
    await pages.load('all', true);
    expect(asked[0]).toMatchObject({ before: at('a', 5).updated_at, before_id: 'a' });
  });

  it('keeps a chat that arrived while the first page was on its way, and an opened one', async () => {
    let answer: (list: ChatList) => void = () => undefined;
    const pages = new ChatPages({
      fetch: () => new Promise<ChatList>((resolve) => (answer = resolve)),
      me: () => 'u1',
      listable: () => true,
      kept: (id) => id === 'opened',
    });
    pages.chats.set('opened', at('opened', 1));
    pages.chats.set('stale', at('stale', 2));
    pages.chats.set('updated', at('updated', 3));
    const loading = pages.load('all', false);
    // Frames while the request is out: a new conversation, and news about one held.
    pages.chats.set('fresh', at('fresh', 9));
    pages.chats.set('updated', at('updated', 10));
    answer({ chats: [at('listed', 4)] });
    await loading;
    expect(ids(pages.list('all')).sort()).toEqual(['fresh', 'listed', 'opened', 'updated']);
    expect(pages.hasMore('all')).toBe(false);
    expect(pages.loadedFilters()).toEqual(['all']);
  });
});
