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

    // Three more, 300 ms apart: each makes a line of its own, brought forward from the message.
    for (let i = 7; i <= 9; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300));
      visitor.send({ type: 'message', id: `m${i}`, text: `question ${i}` });
      await visitor.next(when((f) => f.type === 'ack' && f.id === `m${i}`));
      const message = (await agent.next(when((f) => f.type === 'message' && ofChat(f) && f.message.client_id === `m${i}`))) as Frame;
      await agent.next(when((f) => f.type === 'conversation' && ofChat(f) && f.chat.last_message.seq >= message.message.seq), 3000);
    }
    // Nine messages and at least four lines, read once at most (the line the first message made
    // due may wait for the greeting's read): a hub that read each line would have read 4 times.
    expect(reads.mock.calls.filter(([, id]) => id === conversationId).length).toBeLessThanOrEqual(1);
    reads.mockRestore();
    // They say what a read says (the API's read, after the count: it reads the summary too).
    const last = (agent.frames as Frame[]).filter((f) => f.type === 'conversation' && ofChat(f)).at(-1)!;
    const read = await call(http, 'GET', `/api/chats/${conversationId}`, { token: owner.token });
    expect(last.chat).toEqual(read.body.chat);
    expect(last.chat.unread_count).toBe(9);

    // A change other than a message shows at once, even right after messages.
    visitor.send({ type: 'message', id: 'm10', text: 'one more' });
    await agent.next(when((f) => f.type === 'message' && ofChat(f) && f.message.client_id === 'm10'));
    agent.send({ type: 'claim', conversation_id: conversationId });
    const claimed = (await agent.next(when((f) => f.type === 'conversation' && ofChat(f) && f.chat.status === 'agent'), 3000)) as Frame;
    expect(claimed.chat.assignee?.id).toBe(owner.user.id);
  });
});
