import { describe, expect, it } from 'vitest';
import type { MessageList } from '@parley/protocol';
import { msg } from '../../test/fixtures.js';
import { MessageLog } from './message-log.js';

describe('message log', () => {
  it('fills a gap in the live stream from the server instead of showing messages out of order', async () => {
    const server = [1, 2, 3, 4, 5].map((seq) => msg(seq, seq % 2 ? 'user' : 'bot', `m${seq}`));
    const asked: number[] = [];
    const log = new MessageLog(
      async (id, after): Promise<MessageList> => {
        asked.push(after);
        return { conversation_id: id, messages: server.filter((m) => m.seq > after).map((message) => ({ message, read_at: null })) };
      },
      () => undefined,
    );
    expect(log.add('c1', server[0]!)).toBe('ignored');
    server.splice(2);
    await log.fetchAfter('c1');
    expect(log.get('c1')!.map((m) => m.seq)).toEqual([1, 2]);
    expect(log.add('c1', msg(3, 'user', 'm3'))).toBe('added');
    server.push(msg(3, 'user', 'm3'), msg(4, 'bot', 'm4'), msg(5, 'user', 'm5'));
    expect(log.add('c1', msg(5, 'user', 'm5'))).toBe('gap');
    await log.fetchAfter('c1');
    expect(log.get('c1')!.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(asked[0]).toBe(0);
    expect(asked).toContain(3);
  });

  it('forgets a deleted conversation, and a fetch still running for it brings nothing back', async () => {
    let answer: (list: MessageList) => void = () => undefined;
    const log = new MessageLog(
      () => new Promise<MessageList>((resolve) => (answer = resolve)),
      () => undefined,
    );
    const first = log.fetchAfter('c1');
    answer({ conversation_id: 'c1', messages: [{ message: msg(1, 'user', 'hello'), read_at: null }] });
    await first;
    expect(log.get('c1')).toHaveLength(1);
    const late = log.fetchAfter('c1');
    log.delete('c1');
    answer({ conversation_id: 'c1', messages: [{ message: msg(2, 'bot', 'too late'), read_at: null }] });
    await late;
    expect(log.get('c1')).toBeUndefined();
    expect([...log.keys()]).toEqual([]);
  });
});
