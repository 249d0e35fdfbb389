import { describe, expect, it } from 'vitest';
import type { ArticleList, ArticleView, ChatbotReply, ChatbotStartResponse, RestChatMessageResponse } from '@parley/protocol';
import { addAgent, addCompany, call, login, OWNER, startAgentServer } from '../agent-helper.js';
import { onboardCompany } from '../../src/companies/onboarding.js';
import { buildTestServer } from '../helper.js';

const SHIPPING = {
  title: 'Do you ship to Canada?',
  body: 'We ship to Canada and the United States.\n\n## Costs\nShipping to Canada costs 15 EUR and takes 5 to 8 working days. Orders over 100 EUR ship free.',
  category: 'Shipping',
  status: 'published' as const,
};
const RETURNS = {
  title: 'Returning an item',
  body: 'You can return any item within 30 days for a full refund.\n\n## How to return\nPrint the return label from your account and drop the parcel at a post office.',
  category: 'Returns',
  status: 'published' as const,
};

async function post(http: string, token: string, body: object) {
  return call<{ article: ArticleView }>(http, 'POST', '/api/articles', { token, body });
}

describe('articles', () => {
  it('lets admins write, change, list, search and delete articles, and agents read them', async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const created = await post(http, owner.token, SHIPPING);
    expect(created.status).toBe(201);
    expect(created.body.article).toMatchObject({ title: SHIPPING.title, category: 'Shipping', status: 'published', url: `/help/articles/${created.body.article.id}` });
    expect(created.body.article.html).toContain('<b>Costs</b>');
    const id = created.body.article.id;

    const draft = await post(http, owner.token, { title: 'Secret launch <b>plan</b>', body: 'Draft text', status: 'draft' });
    expect(draft.body.article.category).toBe('');

    const agent = await addAgent(app, http, app.companies.defaultCompany().id, 'Alex');
    const list = await call<ArticleList>(http, 'GET', '/api/articles', { token: agent.token });
    expect(list.body.articles.map((a) => a.title).sort()).toEqual([SHIPPING.title, 'Secret launch <b>plan</b>'].sort());
    expect(list.body.categories).toEqual(['Shipping']);
    expect((await call<ArticleList>(http, 'GET', '/api/articles?q=canada', { token: agent.token })).body.articles.map((a) => a.id)).toEqual([id]);
    expect((await call<ArticleList>(http, 'GET', '/api/articles?status=draft', { token: agent.token })).body.articles).toHaveLength(1);
    expect((await post(http, agent.token, RETURNS)).status).toBe(403);
    expect((await call(http, 'PUT', `/api/articles/${id}`, { token: agent.token, body: { title: 'x' } })).status).toBe(403);

    const changed = await call<{ article: ArticleView }>(http, 'PUT', `/api/articles/${id}`, { token: owner.token, body: { status: 'draft' } });
    expect(changed.body.article).toMatchObject({ status: 'draft', title: SHIPPING.title });
    expect((await call(http, 'GET', `/api/articles/${id}`, { token: agent.token })).body.article.status).toBe('draft');
    expect((await call(http, 'POST', '/api/articles', { token: owner.token, body: { title: '', body: 'x', status: 'published' } })).status).toBe(400);
    expect((await call(http, 'POST', '/api/articles', { token: owner.token, body: { title: 'x', body: 'x', status: 'live' } })).status).toBe(400);

    expect((await call(http, 'DELETE', `/api/articles/${id}`, { token: owner.token })).status).toBe(204);
    expect((await call(http, 'GET', `/api/articles/${id}`, { token: owner.token })).status).toBe(404);
    expect((await call(http, 'GET', '/api/articles')).status).toBe(401);
  });

  it("never lets another company's agents, bot or help center see a company's articles", async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const published = (await post(http, owner.token, SHIPPING)).body.article;
    const draft = (await post(http, owner.token, { ...RETURNS, title: 'Wombat draft about refunds', status: 'draft' })).body.article;
    const b = await addCompany(app, http, 'Bravo');

    for (const id of [published.id, draft.id]) {
      expect((await call(http, 'GET', `/api/articles/${id}`, { token: b.token })).status).toBe(404);
      expect((await call(http, 'PUT', `/api/articles/${id}`, { token: b.token, body: { title: 'Mine now' } })).status).toBe(404);
      expect((await call(http, 'DELETE', `/api/articles/${id}`, { token: b.token })).status).toBe(404);
      expect((await call(http, 'GET', `/help/${b.company.siteKey}/articles/${id}`)).status).toBe(404);
    }
    expect((await call<ArticleList>(http, 'GET', '/api/articles', { token: b.token })).body).toEqual({ articles: [], categories: [] });
    expect((await call(http, 'GET', '/api/articles/search?q=ship%20to%20canada', { token: b.token })).body.hits).toEqual([]);
    expect((await call(http, 'GET', '/api/articles/export', { token: b.token })).body).toEqual({ articles: [] });
    const bHelp = await call<string>(http, 'GET', `/help/${b.company.siteKey}?q=canada`);
    expect(bHelp.status).toBe(200);
    expect(bHelp.body).not.toContain('Canada?');

    // B's visitors asking A's question get B's bot as it was (B has no articles).
    const start = await call<ChatbotStartResponse>(http, 'GET', `/api/chatbot?site=${b.company.siteKey}`);
    const answer = await call<ChatbotReply>(http, 'POST', `/api/chatbot?site=${b.company.siteKey}`, { body: { message: 'Do you ship to Canada?', chatbot_session: start.body.chatbot_session } });
    expect(answer.body.BOT.components.map((c) => c.type)).not.toContain('article');

    // Even once B has articles of its own, A's (published or draft) never answer B's visitors.
    await post(http, b.token, { title: 'Opening hours', body: 'We are open Monday to Friday.', status: 'published' });
    expect((await call(http, 'GET', '/api/articles/search?q=refunds%20wombat', { token: b.token })).body.hits).toEqual([]);
    expect((await call(http, 'GET', '/api/articles/search?q=ship%20to%20canada', { token: b.token })).body.hits.every((h: { article_id: string }) => h.article_id !== published.id)).toBe(true);
    // A's own search never returns its draft.
    expect((await call(http, 'GET', '/api/articles/search?q=wombat%20draft%20refunds', { token: owner.token })).body.hits.map((h: { article_id: string }) => h.article_id)).not.toContain(draft.id);
  });

  it('imports JSON and CSV files, rejects bad ones whole, and exports what it imported', async () => {
    const { http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const upload = async (name: string, content: string) => {
      const form = new FormData();
      form.append('file', new Blob([content]), name);
      const res = await fetch(`${http}/api/articles/import`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}` }, body: form });
      return { status: res.status, body: (await res.json()) as { imported: number; code?: string; message?: string } };
    };
    expect(await upload('a.json', JSON.stringify([SHIPPING, { title: 'Gift cards', body: 'Gift cards never expire.' }]))).toMatchObject({ status: 201, body: { imported: 2 } });
    const csv = 'title,body,category,status\r\n"Returning an item","You can return items within 30 days.\n\nSay ""hello"", too.",Returns,published\r\nPayment methods,We take cards and PayPal.,Payments,draft\r\n';
    expect(await upload('b.csv', csv)).toMatchObject({ status: 201, body: { imported: 2 } });
    expect(await upload('bad.json', JSON.stringify([{ title: 'ok', body: 'ok' }, { body: 'no title' }]))).toMatchObject({ status: 400, body: { code: 'validation_failed' } });
    expect(await upload('bad.csv', 'name,text\nx,y\n')).toMatchObject({ status: 400 });

    const exported = await call<{ articles: Array<{ title: string; body: string; category: string; status: string }> }>(http, 'GET', '/api/articles/export', { token: owner.token });
    expect(exported.body.articles.map((a) => a.title).sort()).toEqual(['Do you ship to Canada?', 'Gift cards', 'Payment methods', 'Returning an item']);
    expect(exported.body.articles.find((a) => a.title === 'Returning an item')).toEqual({ title: 'Returning an item', body: 'You can return items within 30 days.\n\nSay "hello", too.', category: 'Returns', status: 'published' });
    expect(exported.body.articles.find((a) => a.title === 'Payment methods')!.status).toBe('draft');
    // The export imports as is.
    expect(await upload('again.json', JSON.stringify(exported.body))).toMatchObject({ status: 201, body: { imported: 4 } });
  });

  it('answers a question the bot cannot take with the matching article and asks whether it helped', async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const shipping = (await post(http, owner.token, SHIPPING)).body.article;
    await post(http, owner.token, RETURNS);

    const start = await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot');
    const session = start.body.chatbot_session;
    const answer = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'what does delivery to canada cost', chatbot_session: session } });
    const [card, question, buttons] = answer.body.BOT.components;
    expect(card).toEqual({
      type: 'article',
      payload: { title: SHIPPING.title, excerpt: 'Shipping to Canada costs 15 EUR and takes 5 to 8 working days. Orders over 100 EUR ship free.', url: `/help/articles/${shipping.id}` },
    });
    expect(question).toEqual({ type: 'text', payload: { text: 'Did that answer your question?' } });
    expect(buttons).toEqual({
      type: 'button_options',
      payload: { options: [{ label: 'Yes', value: `parley:helpful:${shipping.id}` }, { label: 'No, talk to a person', value: 'parley:handoff' }] },
    });

    // Yes: thanks, the vote is counted, and the flow asks its question again.
    const yes = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: `parley:helpful:${shipping.id}`, chatbot_session: session } });
    expect(yes.status).toBe(200);
    const yesTexts = yes.body.BOT.components.flatMap((c) => (c.type === 'text' ? [c.payload.text] : []));
    expect(yesTexts[0]).toBe('Great, glad I could help!');
    expect(yesTexts[1]).toContain('Are you an existing customer?');
    expect((await call(http, 'GET', `/api/articles/${shipping.id}`, { token: owner.token })).body.article.helpful_votes).toBe(1);

    // A question no article answers keeps today's behaviour.
    const miss = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'can I bring my dog to the opera?', chatbot_session: session } });
    expect(miss.body.BOT.components.map((c) => c.type)).toEqual(['error', 'text', 'button_options']);

    // "No, talk to a person" hands over.
    const no = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'parley:handoff', chatbot_session: session } });
    expect(no.status).toBe(200);
    const conversation = await app.chat.resolveSession(session);
    expect(conversation.status).toBe('waiting');
  });

  it('flattens the article answer in the REST chat API', async () => {
    const { http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const shipping = (await post(http, owner.token, SHIPPING)).body.article;
    const first = await call<RestChatMessageResponse>(http, 'POST', '/api/chat-message', { body: { message: 'Hello', user_id: 'u1', message_id: 'm1', message_count: 0 } });
    const second = await call<RestChatMessageResponse>(http, 'POST', '/api/chat-message', {
      body: { message: 'do u ship to canda?', user_id: 'u1', message_id: 'm2', message_count: 2, conversation_id: first.body.conversation_id },
    });
    expect(second.body.message).toBe(
      `${SHIPPING.title}\nWe ship to Canada and the United States.\n/help/articles/${shipping.id}\nDid that answer your question?\n- Yes\n- No, talk to a person`,
    );
  });

  it('finds the same passages with the same confidence on either database', async () => {
    // FTS5 BM25 on SQLite, a weighted tsvector and ts_rank on PostgreSQL: the confidence is the
    // question's coverage of the candidates, so the threshold tuned on FTS5 holds on both.
    const app = await buildTestServer();
    const company = app.companies.defaultCompany().id;
    await app.knowledge.create(company, [
      SHIPPING,
      RETURNS,
      { title: 'Remboursement', body: 'Nous remboursons la commande dès réception du colis retourné.\n\n## Délai\nLe montant remboursé arrive sous cinq jours ouvrés.', status: 'published' },
      { title: 'Gift cards', body: 'Gift cards never expire and can be used for any order, shipping included.', status: 'published' },
      { title: 'Secret draft', body: 'Wombat plans', status: 'draft' },
    ]);
    const best = async (question: string) => {
      const [hit] = await app.knowledge.search(company, question, 3);
      return hit ? [hit.title, hit.heading, hit.score] : undefined;
    };
    expect(await best('what does delivery to canada cost')).toEqual([SHIPPING.title, 'Costs', 0.816]);
    // A typo is put right, a stem finds its other forms, case does not matter.
    expect(await best('do u ship to canda?')).toEqual([SHIPPING.title, '', 0.889]);
    expect(await best('shipped orders')).toEqual([SHIPPING.title, 'Costs', 0.931]);
    expect(await best('CANADA')).toEqual([SHIPPING.title, '', 1]);
    expect(await best('how do I return an item')).toEqual([RETURNS.title, '', 1]);
    expect(await best('refund')).toEqual([RETURNS.title, '', 0.938]);
    // Accents are folded: "rembourse" finds "remboursé", "délai" finds "Délai".
    expect(await best('rembourse colis')).toEqual(['Remboursement', '', 0.927]);
    expect(await best('délai de remboursement')).toEqual(['Remboursement', 'Délai', 1]);
    expect(await best('gift card for shipping')).toEqual(['Gift cards', '', 0.972]);
    // Drafts are never found, nor what no article says.
    expect(await best('wombat')).toBeUndefined();
    expect(await best('can I bring my dog to the opera?')).toBeUndefined();
    // Another company's articles are never found.
    const { company: other } = await onboardCompany(app, { name: 'Bravo' });
    await app.knowledge.create(other.id, [{ title: 'Opening hours', body: 'We are open Monday to Friday.', status: 'published' }]);
    expect((await app.knowledge.search(other.id, 'ship to canada', 3)).map((h) => h.title)).toEqual([]);
    expect(await best('opening hours monday')).toBeUndefined();
  });
});
