// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { SearchResponse } from '@parley/protocol';
import { OWNER } from '../server.js';
import { RawVisitor } from '../visitor.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP, PHONE } from './harness.js';
import { widgetVisitor } from './visitor-page.js';

const EVE = { email: 'eve@parley.test', password: 'eve-password-1' };

/*
 * Deleting a conversation in Chromium against the real server: the owner deletes what a widget
 * visitor said, while Eve, an agent, has it open in another browser. Screenshots of the details
 * with the button and of both dashboards after, laptop and phone, go to artifacts/ (look at them).
 * The confirmation is the browser's own dialog, which screenshots do not show: its text is checked.
 * Skipped without Chromium, like dashboard.test.ts.
 */
describe.skipIf(!CHROMIUM)('deleting a conversation in Chromium', () => {
  const questions: string[] = [];
  const { server, problems, browser, api, watch, signIn, conversationOf } = chromiumHarness({
    agents: [{ ...EVE, name: 'Eve' }],
    // Every confirmation is accepted, and what it asked is kept.
    onPage: (page) =>
      page.on('dialog', (dialog) => {
        questions.push(dialog.message());
        void dialog.accept();
      }),
  });

  it('the owner deletes a widget visitor’s conversation; it vanishes for Eve too, with a notice where it was open', async () => {
    const visitorContext = await browser().newContext({ viewport: { width: 1100, height: 800 } });
    visitorContext.setDefaultTimeout(8000);
    const visitor = await widgetVisitor(watch(await visitorContext.newPage(), 'visitor'), server.url);
    await visitor.say('I would like to talk to a human please');
    await visitor.say('Please delete everything you know about me');
    const id = await conversationOf('delete everything');

    const ownerContext = await browser().newContext({ viewport: LAPTOP });
    const eveContext = await browser().newContext({ viewport: LAPTOP });
    const owner = await signIn(ownerContext, OWNER, '/admin');
    const eve = await signIn(eveContext, EVE, `/admin/inbox/${id}`);
    const eveView = eve.locator('parley-conversation-view');
    await eveView.getByText('delete everything you know about me').waitFor();
    expect(await eveView.locator('[data-action="delete"]').count()).toBe(0);

    await owner.locator(`parley-chat-list [data-id="${id}"]`).click();
    const view = owner.locator('parley-conversation-view');
    await view.getByText('delete everything you know about me').waitFor();
    const button = view.locator('[part="details"] [data-action="delete"]');
    await button.scrollIntoViewIfNeeded();
    await button.hover();
    await owner.screenshot({ path: `${ARTIFACTS}laptop-delete-conversation.png` });

    await button.click();
    await owner.waitForURL(`${server.url}/admin/inbox`);
    expect(questions.at(-1)).toMatch(/for good.*messages.*files.*leads/s);
    await owner.locator('[part~="placeholder"]').waitFor();
    expect(await owner.locator(`parley-chat-list [data-id="${id}"]`).count()).toBe(0);
    await owner.screenshot({ path: `${ARTIFACTS}laptop-deleted-inbox.png` });

    // Eve had it open: the frame closes it with a notice and takes it off her list.
    await eveView.getByText('This conversation was deleted.').waitFor();
    expect(await eve.locator(`parley-chat-list [data-id="${id}"]`).count()).toBe(0);
    await eve.screenshot({ path: `${ARTIFACTS}laptop-deleted-notice.png` });

    // It is really gone on the server, words and all; the visitor's widget started afresh.
    expect((await api('GET', `/api/chats/${id}`)).status).toBe(404);
    expect(((await (await api('GET', '/api/search?q=everything')).json()) as SearchResponse).results).toEqual([]);
    await visitor.screenshot?.(`${ARTIFACTS}visitor-after-deletion.png`);

    await Promise.all([visitorContext.close(), ownerContext.close(), eveContext.close()]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('on phones: the delete button is at the end of the details drawer, and the notice fits', async () => {
    const visitor = await RawVisitor.connect(server.wsUrl);
    visitor.askForPerson();
    await visitor.next((f) => f.type === 'state' && f.status === 'waiting');
    const phone = { viewport: PHONE, isMobile: true, hasTouch: true };
    const ownerContext = await browser().newContext(phone);
    const eveContext = await browser().newContext(phone);
    const owner = await signIn(ownerContext, OWNER, `/admin/inbox/${visitor.conversationId}`);
    const eve = await signIn(eveContext, EVE, `/admin/inbox/${visitor.conversationId}`);
    await eve.locator('parley-conversation-view [part="handoff"]').waitFor();

    const view = owner.locator('parley-conversation-view');
    await view.locator('[part="handoff"]').waitFor();
    await view.locator('[data-action="details"]').click();
    const button = view.locator('[part="details"] [data-action="delete"]');
    await button.scrollIntoViewIfNeeded();
    await owner.screenshot({ path: `${ARTIFACTS}phone-delete-conversation.png` });

    await button.click();
    await owner.waitForURL(`${server.url}/admin/inbox`);
    await owner.locator('parley-chat-list').waitFor({ state: 'visible' });
    expect(await owner.locator(`parley-chat-list [data-id="${visitor.conversationId}"]`).count()).toBe(0);
    await owner.screenshot({ path: `${ARTIFACTS}phone-deleted-inbox.png` });

    await eve.locator('parley-conversation-view').getByText('This conversation was deleted.').waitFor();
    expect(await eve.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await eve.screenshot({ path: `${ARTIFACTS}phone-deleted-notice.png` });
    await eve.locator('parley-conversation-view').getByRole('button', { name: 'Back to the inbox' }).click();
    await eve.locator('parley-chat-list').waitFor({ state: 'visible' });

    await Promise.all([ownerContext.close(), eveContext.close()]);
    visitor.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
