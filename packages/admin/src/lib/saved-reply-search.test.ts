import { describe, expect, it } from 'vitest';
import type { SavedReplyView } from '@parley/protocol';
import { byShortcut, matchSavedReplies, savedReplyQuery } from './saved-reply-search.js';

const reply = (shortcut: string, text: string): SavedReplyView => ({ id: shortcut, shortcut, text, created_at: '', updated_at: '' });
const replies = [reply('hello', 'Hi! How can I help?'), reply('refund', 'Refunds take 5 days.'), reply('return', 'Send it back within 30 days.')];

describe('finding saved replies from the draft', () => {
  it('reads a query only from a draft that is a slash and one word', () => {
    expect(savedReplyQuery('/')).toBe('');
    expect(savedReplyQuery('  /Ref')).toBe('ref');
    expect(savedReplyQuery('/ref thanks')).toBeUndefined();
    expect(savedReplyQuery('see /ref')).toBeUndefined();
    expect(savedReplyQuery('/ref\n')).toBeUndefined();
  });

  it('matches shortcuts by prefix, and the text only when no shortcut fits', () => {
    expect(matchSavedReplies(replies, '').map((r) => r.shortcut)).toEqual(['hello', 'refund', 'return']);
    expect(matchSavedReplies(replies, 're').map((r) => r.shortcut)).toEqual(['refund', 'return']);
    expect(matchSavedReplies(replies, 'days').map((r) => r.shortcut)).toEqual(['refund', 'return']);
    expect(matchSavedReplies(replies, 'zzz')).toEqual([]);
  });

  it('orders replies by shortcut', () => {
    expect(byShortcut([replies[2]!, replies[0]!, replies[1]!]).map((r) => r.shortcut)).toEqual(['hello', 'refund', 'return']);
  });
});
