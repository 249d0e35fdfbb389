import { describe, expect, it } from 'vitest';
import type { ChatbotMessagesResponse, ChatbotStartResponse, RatingResponse } from '@parley/protocol';
import { addAgent, addCompany, call, startAgentServer } from '../agent-helper.js';
import { startReceiver } from '../support/webhook-receiver.js';

const today = () => new Date().toISOString().slice(0, 10);

/** A visitor of the company's site who asks for a person at once. */
async function visitorAsksForPerson(http: string, siteKey: string) {
  const start = await call<ChatbotStartResponse>(http, 'GET', `/api/chatbot?site=${siteKey}`);
  const session = start.body.chatbot_session;
  const asked = await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session, message: 'I want to talk to a person' } });
  expect(asked.status, JSON.stringify(asked.body)).toBe(200);
  const messages = await call<ChatbotMessagesResponse>(http, 'GET', `/api/chatbot/messages?chatbot_session=${session}`);
  return { session, id: messages.body.conversation_id };
}

describe('visitor satisfaction (CSAT)', () => {
  it('an agent resolves, the visitor is asked and rates once, agents see it, a webhook tells, and Insights counts it', async () => {
    const { app, http } = await startAgentServer({ webhooks: { allowPrivate: true, retryBaseMs: 40, retryMaxMs: 200, timeoutMs: 2000 } });
    const acme = await addCompany(app, http, 'Acme');
    const other = await addCompany(app, http, 'Globex');
    const ann = await addAgent(app, http, acme.company.id, 'Ann');

    // Off by default: nothing asks for a rating.
    expect((await call(http, 'GET', '/api/csat/settings', { token: acme.token })).body).toEqual({ enabled: false, scale: 'five', ask_after: 'agent' });
    expect((await call(http, 'PUT', '/api/csat/settings', { token: ann.token, body: { enabled: true, scale: 'five', ask_after: 'agent' } })).status).toBe(403);
    const saved = await call(http, 'PUT', '/api/csat/settings', { token: acme.token, body: { enabled: true, scale: 'five', ask_after: 'agent' } });
    expect(saved.body).toEqual({ enabled: true, scale: 'five', ask_after: 'agent' });

    const receiver = await startReceiver();
    const endpoint = await call(http, 'POST', '/api/webhooks', { token: acme.token, body: { url: receiver.url, events: ['conversation.rated'] } });
    expect(endpoint.status).toBe(201);
    receiver.useSecret(endpoint.body.secret);

    const visitor = await visitorAsksForPerson(http, acme.company.siteKey);
    expect((await call(http, 'POST', `/api/chats/${visitor.id}/messages`, { token: ann.token, body: { text: 'Hello, Ann here.' } })).status).toBe(201);
    expect((await call(http, 'POST', `/api/chats/${visitor.id}/resolve`, { token: ann.token, body: {} })).status).toBe(200);

    // The resolution asks the visitor for a rating.
    const after = await call<ChatbotMessagesResponse>(http, 'GET', `/api/chatbot/messages?chatbot_session=${visitor.session}`);
    const prompts = after.body.messages.flatMap((m) => m.components).filter((c) => c.type === 'rating');
    expect(prompts).toEqual([{ type: 'rating', payload: { scale: 'five', prompt: 'How would you rate this conversation?', comment: true } }]);

    // Out of range is refused; the first rating stands.
    expect((await call(http, 'POST', '/api/chatbot/rating', { body: { chatbot_session: visitor.session, score: 6 } })).status).toBe(400);
    const rated = await call<RatingResponse>(http, 'POST', '/api/chatbot/rating', {
      body: { chatbot_session: visitor.session, score: 4, comment: '  Quick and kind  ' },
    });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ duplicate: false, rating: { scale: 'five', score: 4, comment: 'Quick and kind' } });
    const again = await call<RatingResponse>(http, 'POST', '/api/chatbot/rating', { body: { chatbot_session: visitor.session, score: 1 } });
    expect(again.body).toMatchObject({ duplicate: true, rating: { score: 4, comment: 'Quick and kind' } });

    // Agents of the company see it in the conversation's details; another company's admin cannot.
    expect((await call(http, 'GET', `/api/chats/${visitor.id}/rating`, { token: ann.token })).body.rating).toMatchObject({ score: 4, comment: 'Quick and kind' });
    expect((await call(http, 'GET', `/api/chats/${visitor.id}/rating`, { token: other.token })).status).toBe(404);

    // One `conversation.rated` event, with the conversation and the rating.
    await receiver.waitFor(1, (r) => r.body.type === 'conversation.rated');
    const events = receiver.received.filter((r) => r.body.type === 'conversation.rated');
    expect(events).toHaveLength(1);
    expect(events[0]!.body.data).toMatchObject({ conversation: { id: visitor.id }, rating: { scale: 'five', score: 4, comment: 'Quick and kind' } });

    // Insights: one conversation, handed off and resolved, rated 4; the other company sees none of it.
    const period = `from=${today()}&to=${today()}&tz=UTC`;
    const overview = await call(http, 'GET', `/api/reports/overview?${period}`, { token: acme.token });
    expect(overview.body).toMatchObject({ conversations: 1, bot_only: 0, handed_off: 1, resolved: 1, abandoned: 0, csat: { average: 4, count: 1 } });
    expect(overview.body.first_response_ms.median).toBeGreaterThanOrEqual(0);
    expect(overview.body.resolution_ms.median).toBeGreaterThanOrEqual(overview.body.first_response_ms.median);
    const times = await call(http, 'GET', `/api/reports/response-times?${period}`, { token: acme.token });
    expect(times.body.agents).toEqual([expect.objectContaining({ name: 'Ann', first_responses: 1, resolutions: 1 })]);
    const csat = await call(http, 'GET', `/api/reports/csat?${period}`, { token: acme.token });
    expect(csat.body).toMatchObject({ average: 4, count: 1, distribution: [0, 0, 0, 1, 0], comments: [{ conversation_id: visitor.id, score: 4, comment: 'Quick and kind' }] });
    expect((await call(http, 'GET', `/api/reports/overview?${period}`, { token: other.token })).body).toMatchObject({ conversations: 0, csat: { count: 0 } });
    // Agents do not read reports.
    expect((await call(http, 'GET', `/api/reports/overview?${period}`, { token: ann.token })).status).toBe(403);
  });

  it('thumbs after the bot ends: a flow that reaches `end` asks, and a thumbs rating takes only up or down', async () => {
    const { app, http } = await startAgentServer();
    const acme = await addCompany(app, http, 'Acme');
    await call(http, 'PUT', '/api/csat/settings', { token: acme.token, body: { enabled: true, scale: 'thumbs', ask_after: 'bot' } });
    const start = await call<ChatbotStartResponse>(http, 'GET', `/api/chatbot?site=${acme.company.siteKey}`);
    const session = start.body.chatbot_session;
    // The demo flow: a new customer gives name, email and phone, then the flow ends.
    for (const message of ['No', 'Ada Lovelace', 'ada@example.com', '+44 20 7946 0958']) {
      expect((await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session, message } })).status).toBe(200);
    }
    const messages = await call<ChatbotMessagesResponse>(http, 'GET', `/api/chatbot/messages?chatbot_session=${session}`);
    expect(messages.body.is_terminal).toBe(true);
    expect(messages.body.messages.flatMap((m) => m.components).filter((c) => c.type === 'rating')).toEqual([
      { type: 'rating', payload: { scale: 'thumbs', prompt: 'How would you rate this conversation?', comment: true } },
    ]);
    expect((await call(http, 'POST', '/api/chatbot/rating', { body: { chatbot_session: session, score: 3 } })).status).toBe(400);
    expect((await call(http, 'POST', '/api/chatbot/rating', { body: { chatbot_session: session, score: 5 } })).body).toMatchObject({
      duplicate: false,
      rating: { scale: 'thumbs', score: 5, comment: null },
    });
    const period = `from=${today()}&to=${today()}`;
    expect((await call(http, 'GET', `/api/reports/overview?${period}`, { token: acme.token })).body).toMatchObject({
      conversations: 1,
      bot_only: 1,
      handed_off: 0,
      abandoned: 0,
      csat: { average: 5, count: 1 },
    });
    const funnel = await call(http, 'GET', `/api/reports/funnel?${period}`, { token: acme.token });
    const byStep = Object.fromEntries(funnel.body.steps.map((s: { step: string; reached: number; stopped: number }) => [s.step, [s.reached, s.stopped]]));
    expect(funnel.body.conversations).toBe(1);
    expect(byStep).toMatchObject({ welcome: [1, 0], name: [1, 0], email: [1, 0], phone: [1, 0], lead: [1, 0], welcome_new: [1, 1], account: [0, 0] });
  });
});
