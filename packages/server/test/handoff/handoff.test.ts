import { describe, expect, it } from 'vitest';
import type {
  AckFrame,
  AgentAckFrame,
  AgentConversationFrame,
  AgentMessageFrame,
  AgentSideTypingFrame,
  ChatActionResponse,
  HandoffRequestedFrame,
  MessageFrame,
  ServerTypingFrame,
  StateFrame,
} from '@parley/protocol';
import { parseFlow } from '../../src/flows/load.js';
import { texts } from '../helper.js';
import { addAgent, call, is, login, openAgent, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';

describe('hand-off from the bot to a person, over real sockets', () => {
  it('a visitor asks for a person; an agent claims, both type and reply, resolves, and the bot answers again', async () => {
    const { app, http, ws, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const dana = await addAgent(app, http, owner.user.company_id, 'Dana');
    const agent = await openAgent(agentWs, dana.token);
    const otherTab = await openAgent(agentWs, dana.token);
    expect(agent.ready.user).toMatchObject({ name: 'Dana', role: 'agent' });
    expect(agent.ready.online_agents.map((a) => a.name)).toContain('Dana');

    const visitor = await openVisitor(ws);
    const id = visitor.welcome.conversation_id;
    await visitor.socket.next(is.messageWithRole('bot'));
    // The agents' inbox hears of the visitor being online and of the new conversation.
    await agent.socket.next((f) => f.type === 'presence' && f.conversation_id === id && f.online === true);
    await agent.socket.next(is.chat(id, 'bot'));

    // 1. The visitor asks for a person in their own words.
    visitor.socket.send({ type: 'message', id: 'm1', text: 'Can I talk to a PERSON please?' });
    expect((await visitor.socket.nextOf<AckFrame>('ack')).seq).toBe(2);
    const notice = await visitor.socket.next<MessageFrame>(is.messageWithRole('system'));
    expect(texts(notice.message.components)[0]).toContain('You are number 1 in line');
    expect(await visitor.socket.nextOf<StateFrame>('state')).toEqual({ type: 'state', status: 'waiting', position: 1 });

    // The agent hears it in the same test: the visitor's words, then the hand-off with context.
    const asked = await agent.socket.next<AgentMessageFrame>((f) => f.type === 'message' && (f as AgentMessageFrame).message.seq === 2);
    expect(asked.message).toMatchObject({ role: 'user', client_id: 'm1' });
    const handoff = await agent.socket.nextOf<HandoffRequestedFrame>('handoff');
    expect(handoff.reason).toBe('visitor');
    expect(handoff.chat).toMatchObject({ id, status: 'waiting', queue_position: 1, unread_count: 1, visitor: { online: true } });
    expect(handoff.chat.handoff).toMatchObject({ reason: 'visitor' });
    expect(handoff.chat.last_message).toMatchObject({ role: 'system', seq: 3 });

    // While waiting the bot stays silent.
    visitor.socket.send({ type: 'action', id: 'm2', value: 'yes' });
    expect((await visitor.socket.nextOf<AckFrame>('ack')).seq).toBe(4);

    // 2. Dana claims it from one tab; the visitor is told, the other tab sees it too.
    agent.socket.send({ type: 'claim', conversation_id: id });
    const joined = await visitor.socket.next<MessageFrame>(is.messageWithRole('system'));
    expect(texts(joined.message.components)).toEqual(['Dana joined the conversation.']);
    expect(await visitor.socket.nextOf<StateFrame>('state')).toEqual({ type: 'state', status: 'agent', agent: { name: 'Dana' } });
    const claimed = await otherTab.socket.next<AgentConversationFrame>(is.chat(id, 'agent'));
    expect(claimed.chat.assignee).toEqual({ id: dana.user.id, name: 'Dana' });

    // 3. Typing both ways.
    visitor.socket.send({ type: 'typing', on: true });
    expect(await agent.socket.nextOf<AgentSideTypingFrame>('typing')).toEqual({ type: 'typing', conversation_id: id, role: 'user', on: true });
    agent.socket.send({ type: 'typing', conversation_id: id, on: true });
    expect(await visitor.socket.nextOf<ServerTypingFrame>('typing')).toEqual({ type: 'typing', role: 'agent', on: true, name: 'Dana' });
    // Colleagues' tabs see Dana typing; the tab that typed does not get its own echo.
    expect(await otherTab.socket.next((f) => f.type === 'typing' && f.role === 'agent')).toMatchObject({ name: 'Dana', on: true });

    // 4. Replies both ways.
    visitor.socket.send({ type: 'message', id: 'm3', text: 'My parcel never arrived' });
    expect((await visitor.socket.nextOf<AckFrame>('ack')).seq).toBe(6);
    const fromVisitor = await agent.socket.next<AgentMessageFrame>((f) => f.type === 'message' && (f as AgentMessageFrame).message.seq === 6);
    expect(texts(fromVisitor.message.components)).toEqual(['My parcel never arrived']);

    agent.socket.send({ type: 'reply', id: 'r1', conversation_id: id, text: 'Sorry! <b>Let me check</b> & fix it' });
    expect(await agent.socket.nextOf<AgentAckFrame>('ack')).toEqual({ type: 'ack', id: 'r1', conversation_id: id, seq: 7 });
    const reply = await visitor.socket.next<MessageFrame>(is.messageWithRole('agent'));
    expect(reply.message).toMatchObject({ seq: 7, role: 'agent', author: { name: 'Dana' } });
    // Agents type plain text: markup is escaped like a visitor's.
    expect(texts(reply.message.components)).toEqual(['Sorry! &lt;b&gt;Let me check&lt;/b&gt; &amp; fix it']);
    // A resend of the same reply id is acknowledged again and stored once.
    agent.socket.send({ type: 'reply', id: 'r1', conversation_id: id, text: 'Sorry! <b>Let me check</b> & fix it' });
    expect((await agent.socket.nextOf<AgentAckFrame>('ack')).seq).toBe(7);
    expect((await otherTab.socket.next<AgentMessageFrame>(is.messageWithRole('agent'))).message.seq).toBe(7);

    // Reading in one tab shows in the other, and the unread count drops to zero.
    agent.socket.send({ type: 'read', conversation_id: id, seq: 7 });
    expect(await otherTab.socket.nextOf('read')).toEqual({ type: 'read', conversation_id: id, seq: 7, user_id: dana.user.id });
    const readChat = await otherTab.socket.next<AgentConversationFrame>((f) => is.chat(id)(f) && (f as AgentConversationFrame).chat.unread_count === 0);
    expect(readChat.chat.status).toBe('agent');

    // 5. Resolve over REST: a notice, status resolved, and the bot asks its question again.
    const resolved = await call<ChatActionResponse>(http, 'POST', `/api/chats/${id}/resolve`, { token: dana.token, body: {} });
    expect(resolved.status).toBe(200);
    expect(resolved.body.chat).toMatchObject({ id, status: 'resolved', assignee: null });
    const done = await visitor.socket.next<MessageFrame>(is.messageWithRole('system'));
    expect(texts(done.message.components)).toEqual(['Dana marked the conversation as resolved.']);
    const again = await visitor.socket.next<MessageFrame>(is.messageWithRole('bot'));
    expect(texts(again.message.components)[0]).toContain('Are you an existing customer?');
    expect((await visitor.socket.nextOf<StateFrame>('state')).status).toBe('resolved');

    // 6. The bot answers again.
    visitor.socket.send({ type: 'action', id: 'm4', value: 'no' });
    const bot = await visitor.socket.next<MessageFrame>(is.messageWithRole('bot'));
    expect(texts(bot.message.components)[0]).toMatch(/What is your name\?/);

    // Sequence numbers stayed dense across bot, visitor, agent and system messages.
    const rows = await app.db.selectFrom('messages').select(['seq', 'role']).where('conversation_id', '=', id).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.map((r) => r.role)).toEqual(['bot', 'user', 'system', 'user', 'system', 'user', 'agent', 'system', 'bot', 'user', 'bot']);
    const conversation = await app.db.selectFrom('conversations').select(['status', 'assignee_id', 'handoff_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ status: 'bot', assignee_id: null, handoff_reason: 'visitor' });
  });

  it('takes the widget button, says where each visitor is in the queue, and moves them up', async () => {
    const { app, http, ws, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const first = await openVisitor(ws);
    const second = await openVisitor(ws);
    first.socket.send({ type: 'handoff', id: 'h1' });
    const ack = await first.socket.nextOf<AckFrame>('ack');
    expect(ack).toEqual({ type: 'ack', id: 'h1', seq: 2 });
    expect((await first.socket.nextOf<StateFrame>('state')).position).toBe(1);
    second.socket.send({ type: 'handoff', id: 'h1' });
    const notice = await second.socket.next<MessageFrame>(is.messageWithRole('system'));
    // Nobody is signed in yet: the visitor is told so.
    expect(texts(notice.message.components)[0]).toMatch(/Nobody is online right now.*number 2 in line/);
    expect((await second.socket.nextOf<StateFrame>('state')).position).toBe(2);
    // The button is stored like a message (once, however often it is resent).
    second.socket.send({ type: 'handoff', id: 'h1' });
    expect((await second.socket.nextOf<AckFrame>('ack')).seq).toBe(2);
    const stored = await app.db.selectFrom('messages').select('text').where('conversation_id', '=', second.welcome.conversation_id).where('seq', '=', 2).executeTakeFirstOrThrow();
    expect(stored.text).toBe('Talk to a person');

    const waiting = await call(http, 'GET', '/api/chats?status=waiting', { token: owner.token });
    expect(waiting.body.chats.map((c: { id: string; queue_position: number }) => [c.id, c.queue_position])).toEqual([
      [second.welcome.conversation_id, 2],
      [first.welcome.conversation_id, 1],
    ]);

    // Claiming the first moves the second up to number 1.
    const agent = await openAgent(agentWs, owner.token);
    expect((await call(http, 'POST', `/api/chats/${first.welcome.conversation_id}/claim`, { token: owner.token })).status).toBe(200);
    expect(await second.socket.nextOf<StateFrame>('state')).toEqual({ type: 'state', status: 'waiting', position: 1 });
    const moved = await agent.socket.next<AgentConversationFrame>(
      (f) => is.chat(second.welcome.conversation_id)(f) && (f as AgentConversationFrame).chat.queue_position === 1,
    );
    expect(moved.chat.status).toBe('waiting');
  });

  it('hands over from a flow step and from an AI tool call, and returns to the bot', async () => {
    const { app, http, ws, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const company = app.companies.defaultCompany();
    await app.flows.activate(
      company.id,
      parseFlow({
        id: 'handoff-test',
        name: 'Hand-off test',
        version: 1,
        start: 'ask',
        steps: {
          ask: {
            type: 'choice',
            text: 'Bot or person?',
            options: [
              { label: 'Person', value: 'person', next: 'human' },
              { label: 'Bot', value: 'bot', next: 'ask' },
            ],
          },
          human: { type: 'handoff', text: 'Connecting you to our team.', next: 'ask' },
        },
      }),
    );
    const agent = await openAgent(agentWs, owner.token);
    const visitor = await openVisitor(ws);
    const id = visitor.welcome.conversation_id;
    expect(texts((await visitor.socket.next<MessageFrame>(is.messageWithRole('bot'))).message.components)).toEqual(['Bot or person?']);
    visitor.socket.send({ type: 'action', id: 'a1', value: 'person' });
    const bot = await visitor.socket.next<MessageFrame>(is.messageWithRole('bot'));
    expect(texts(bot.message.components)).toEqual(['Connecting you to our team.']);
    expect((await visitor.socket.next<MessageFrame>(is.messageWithRole('system'))).message.seq).toBe(4);
    expect(await visitor.socket.nextOf<StateFrame>('state')).toEqual({ type: 'state', status: 'waiting', position: 1 });
    expect((await agent.socket.nextOf<HandoffRequestedFrame>('handoff')).reason).toBe('flow');

    // Return to the bot: the flow resumes where the hand-off step said.
    const back = await call<ChatActionResponse>(http, 'POST', `/api/chats/${id}/return-to-bot`, { token: owner.token });
    expect(back.body.chat.status).toBe('bot');
    expect(texts((await visitor.socket.next<MessageFrame>(is.messageWithRole('system'))).message.components)).toEqual([
      'Owner handed the conversation back to the bot.',
    ]);
    expect(texts((await visitor.socket.next<MessageFrame>(is.messageWithRole('bot'))).message.components)).toEqual(['Bot or person?']);
    expect((await visitor.socket.nextOf<StateFrame>('state')).status).toBe('bot');

    // The AI engineer's entry point: an LLM tool call hands over with a reason and context.
    // As the database has it now: the return to the bot may have gone through the other node.
    const live = (await app.conversations.current(id))!;
    await app.chat.requestHandoff(live, 'ai', { context: 'Asked twice about a refund' });
    const fromAi = await agent.socket.nextOf<HandoffRequestedFrame>('handoff');
    expect(fromAi.reason).toBe('ai');
    expect(fromAi.chat.handoff).toMatchObject({ reason: 'ai', context: 'Asked twice about a refund' });
    // Asking again while waiting changes nothing.
    expect(await app.chat.requestHandoff(live, 'ai')).toEqual([]);
  });

  it('shows visitors and agents coming and going', async () => {
    const { app, http, ws, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const sam = await addAgent(app, http, owner.user.company_id, 'Sam');
    const watcher = await openAgent(agentWs, owner.token);

    const samTab1 = await openAgent(agentWs, sam.token);
    expect(samTab1.ready.online_agents.map((a) => a.name).sort()).toEqual(['Owner', 'Sam']);
    expect(await watcher.socket.nextOf('agent_presence')).toEqual({ type: 'agent_presence', user_id: sam.user.id, name: 'Sam', online: true });
    // A second tab is not news; closing one of two is not either.
    const samTab2 = await openAgent(agentWs, sam.token);
    samTab1.socket.close();
    await samTab1.socket.closed;
    samTab2.socket.close();
    expect(await watcher.socket.nextOf('agent_presence')).toEqual({ type: 'agent_presence', user_id: sam.user.id, name: 'Sam', online: false });
    expect(watcher.socket.frames.filter((f) => f.type === 'agent_presence')).toHaveLength(2);

    // Two tabs of one visitor: online with the first, offline after the last.
    const tab1 = await openVisitor(ws);
    const id = tab1.welcome.conversation_id;
    const tab2 = await openVisitor(ws, undefined, tab1.welcome.session);
    expect(await watcher.socket.next((f) => f.type === 'presence')).toEqual({ type: 'presence', conversation_id: id, online: true });
    tab1.socket.close();
    await tab1.socket.closed;
    const list = await call(http, 'GET', `/api/chats/${id}`, { token: owner.token });
    expect(list.body.chat.visitor.online).toBe(true);
    tab2.socket.close();
    expect(await watcher.socket.next((f) => f.type === 'presence')).toEqual({ type: 'presence', conversation_id: id, online: false });
    expect(watcher.socket.frames.filter((f) => f.type === 'presence')).toHaveLength(2);
  });
});

describe('a visitor who comes back', () => {
  it('is told their place in the queue, or who is with them, after the replay', async () => {
    const { http, ws } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const first = await openVisitor(ws);
    first.socket.send({ type: 'handoff', id: 'h1' });
    await first.socket.next(is.type('state', { status: 'waiting' }));
    first.socket.close();
    await first.socket.closed;

    const back = await openVisitor(ws, undefined, first.welcome.session);
    expect(back.welcome.status).toBe('waiting');
    for (let seq = 1; seq <= 3; seq++) expect((await back.socket.nextOf<MessageFrame>('message')).message.seq).toBe(seq);
    expect(await back.socket.nextOf<StateFrame>('state')).toEqual({ type: 'state', status: 'waiting', position: 1 });

    await call(http, 'POST', `/api/chats/${first.welcome.conversation_id}/claim`, { token: owner.token });
    back.socket.close();
    await back.socket.closed;
    const again = await openVisitor(ws, undefined, first.welcome.session);
    expect(again.welcome.status).toBe('agent');
    expect(await again.socket.nextOf<StateFrame>('state')).toEqual({ type: 'state', status: 'agent', agent: { name: 'Owner' } });
  });
});
