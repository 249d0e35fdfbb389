import { describe, expect, it, vi } from 'vitest';
import { InboxRepository } from '../../src/inbox/inbox.js';
import { call, login, openAgent, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';

type Frame = { type: string; [key: string]: any };
/** The sockets' frames as loose records, for short predicates. */
const when = (match: (f: Frame) => boolean) => (f: unknown) => match(f as Frame);

describe("an agent's dashboard during a busy chat", () => {
  it('hears every message at once, and the inbox line follows with the latest state instead of once per message', async () => {
    const { http, ws, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const { socket: agent } = await openAgent(agentWs, owner.token);
    const { socket: visitor, welcome } = await openVisitor(ws);
    const conversationId = welcome.conversation_id;
    const ofChat = (f: Frame) => f.conversation_id === conversationId || f.chat?.id === conversationId;
    await agent.next(when((f) => f.type === 'conversation' && ofChat(f)));

    // Six messages, each sent once the previous one is acknowledged: six turns in as many ticks.
    const before = agent.frames.length;
    const reads = vi.spyOn(InboxRepository.prototype, 'summary');
    for (let i = 1; i <= 6; i++) {
      visitor.send({ type: 'message', id: `m${i}`, text: `question ${i}` });
      await visitor.next(when((f) => f.type === 'ack' && f.id === `m${i}`));
    }
    const lastVisitorMessage = (await agent.next(when((f) => f.type === 'message' && ofChat(f) && f.message.client_id === 'm6'))) as Frame;
    // The line catches up with the last message within the interval.
    await agent.next(when((f) => f.type === 'conversation' && ofChat(f) && f.chat.last_message.seq >= lastVisitorMessage.message.seq), 3000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const seen = (agent.frames.slice(before) as Frame[]).filter(ofChat);
    const visitorMessages = seen.filter((f) => f.type === 'message' && f.message.role === 'user');
    const lines = seen.filter((f) => f.type === 'conversation');
    expect(visitorMessages.map((f) => f.message.client_id)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(3);
    const lastSeq = Math.max(...seen.filter((f) => f.type === 'message').map((f) => f.message.seq));
    expect(lines.at(-1)!.chat.last_message.seq).toBe(lastSeq);
    // Lines after the first come from the messages relayed, not from a read: they say what a read says.
    const read = await call(http, 'GET', `/api/chats/${conversationId}`, { token: owner.token });
    expect(lines.at(-1)!.chat).toEqual(read.body.chat);
    expect(lines.at(-1)!.chat.unread_count).toBe(6);
    // Read once at most (the line the first message made due may wait for the greeting's read).
    // Counted on one node only: with two app instances in one process, the other node's reads
    // (its own channel, presence crossing the bus) land on the same prototype.
    if (process.env.PARLEY_TEST_NODES !== '2') expect(reads.mock.calls.filter(([, id]) => id === conversationId).length).toBeLessThanOrEqual(1);
    reads.mockRestore();

    // A change other than a message shows at once, even right after messages.
    visitor.send({ type: 'message', id: 'm7', text: 'one more' });
    await agent.next(when((f) => f.type === 'message' && ofChat(f) && f.message.client_id === 'm7'));
    agent.send({ type: 'claim', conversation_id: conversationId });
    const claimed = (await agent.next(when((f) => f.type === 'conversation' && ofChat(f) && f.chat.status === 'agent'), 3000)) as Frame;
    expect(claimed.chat.assignee?.id).toBe(owner.user.id);
  });
});
