import { describe, expect, it } from 'vitest';
import type { AiConfigView, ArticleView, ChatbotReply, ChatbotStartResponse, Component, StreamFrame } from '@parley/protocol';
import { parseFlow } from '../../src/flows/load.js';
import { onCleanup } from '../helper.js';
import { call, is, login, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';
import { startFakeOpenAI, type ReceivedRequest, type Script } from '../support/fake-openai.js';

const ARTICLES = [
  { title: 'International shipping', body: 'We ship to Canada and the United States.\n\n## Costs abroad\nShipping abroad costs 14.95 EUR and takes 5 to 10 working days.', category: 'Shipping', status: 'published' },
  { title: 'Return policy', body: 'You can return unworn items within 30 days of delivery for a full refund.', category: 'Returns', status: 'published' },
  { title: 'Unreleased loyalty programme', body: 'Members will earn points on every order.', status: 'draft' },
] as const;

async function server(script?: (request: ReceivedRequest) => Script) {
  const fake = script ? await startFakeOpenAI(script) : undefined;
  if (fake) onCleanup(fake.close);
  const started = await startAgentServer();
  const owner = await login(started.http, OWNER.email, OWNER.password);
  if (fake) {
    const saved = await call<AiConfigView>(started.http, 'PUT', '/api/ai/config', {
      token: owner.token,
      body: { enabled: true, base_url: fake.baseUrl, api_key: 'sk-test', model: 'test-model', timeout_ms: 3000 },
    });
    expect(saved.status).toBe(200);
  }
  const articles: ArticleView[] = [];
  for (const body of ARTICLES) articles.push((await call<{ article: ArticleView }>(started.http, 'POST', '/api/articles', { token: owner.token, body })).body.article);
  return { ...started, fake, owner, articles };
}

const articleLinks = (components: Component[]) => components.flatMap((c) => (c.type === 'article' ? [c.payload] : []));

describe('answers grounded in articles', () => {
  it('gives the model the best passages as numbered sources and shows the cited articles under its streamed answer', async () => {
    const { ws, fake, articles } = await server(() => ({ chunks: ['Yes, we ship to Canada [1]. ', 'It costs 14.95 EUR [1].'] }));
    const visitor = await openVisitor(ws);
    await visitor.socket.next(is.messageWithRole('bot'));
    visitor.socket.send({ type: 'message', id: 'q1', text: 'do you ship to canada and what does it cost?' });
    const stream = await visitor.socket.nextOf<StreamFrame>('stream');
    expect(stream.delta).toBe('Yes, we ship to Canada [1]. ');
    const answer = (await visitor.socket.next(is.messageWithRole('bot'))) as { message: { components: Component[] } };
    const [text, ...rest] = answer.message.components;
    expect(text).toEqual({ type: 'text', payload: { text: 'Yes, we ship to Canada [1]. It costs 14.95 EUR [1].' } });
    expect(articleLinks(rest)).toEqual([{ title: 'International shipping', excerpt: '', url: `/help/articles/${articles[0]!.id}` }]);

    const system = fake!.received[0]!.body.messages[0]!.content!;
    expect(system).toContain('[1] International shipping');
    expect(system).toContain('Shipping abroad costs 14.95 EUR');
    expect(system).toContain('cite it by its number in square brackets');
    expect(system).toContain('If the sources do not answer the question, do not guess');
    // Drafts never reach the model.
    expect(system).not.toContain('loyalty');
  });

  it('lets the model say it does not know and hand off when the sources do not answer', async () => {
    const { http, fake, app } = await server((request) => {
      const system = request.body.messages[0]!.content!;
      // The fake model follows its instructions: nothing in the sources about dogs, so it hands off.
      return system.includes('dog') ? { chunks: ['?'] } : { toolCall: { name: 'handoff_to_human', arguments: '{"reason":"Not in the help articles"}' } };
    });
    const start = await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot');
    const reply = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'can I bring my dog to the shop?', chatbot_session: start.body.chatbot_session } });
    expect(reply.status).toBe(200);
    expect(articleLinks(reply.body.BOT.components)).toEqual([]);
    expect((await app.chat.resolveSession(start.body.chatbot_session)).status).toBe('waiting');
    expect(fake!.received[0]!.body.messages[0]!.content!).toContain('call the handoff_to_human tool');
  });

  it('answers from the article when the model fails', async () => {
    const { http, articles } = await server(() => ({ status: 500 }));
    const start = await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot');
    const reply = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'how long do I have to return an item?', chatbot_session: start.body.chatbot_session } });
    expect(reply.body.BOT.components[0]).toEqual({
      type: 'article',
      payload: { title: 'Return policy', excerpt: 'You can return unworn items within 30 days of delivery for a full refund.', url: `/help/articles/${articles[1]!.id}` },
    });
  });

  it("answers at a flow's search step without a model, then moves on", async () => {
    const { app, http, articles } = await server();
    await app.flows.activate(
      app.companies.defaultCompany().id,
      parseFlow({
        id: 'faq',
        name: 'FAQ',
        version: 1,
        start: 'ask',
        steps: { ask: { type: 'search', next: 'bye' }, bye: { type: 'end', text: 'Anything else? Just write.' } },
      }),
    );
    const start = await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot');
    expect(start.body.BOT.components).toEqual([{ type: 'text', payload: { text: 'What is your question?' } }]);
    const session = start.body.chatbot_session;
    const hit = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'shiping to canda', chatbot_session: session } });
    expect(hit.body.BOT.components.map((c) => c.type)).toEqual(['article', 'text', 'button_options', 'text']);
    expect(articleLinks(hit.body.BOT.components)[0]!.url).toBe(`/help/articles/${articles[0]!.id}`);
    expect(hit.body.is_terminal).toBe(true);

    const again = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'hi', chatbot_session: session } });
    expect(again.body.BOT.components).toEqual([{ type: 'text', payload: { text: 'What is your question?' } }]);
    const miss = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'do you sell bicycles', chatbot_session: session } });
    expect(miss.body.BOT.components).toEqual([
      { type: 'text', payload: { text: "Sorry, I couldn't find an answer to that in our help articles." } },
      { type: 'button_options', payload: { options: [{ label: 'Talk to a person', value: 'parley:handoff' }] } },
      { type: 'text', payload: { text: 'Anything else? Just write.' } },
    ]);
  });
});
