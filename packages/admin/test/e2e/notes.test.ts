// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ChatDetail, NoteList } from '@parley/protocol';
import { until } from '../server.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP, PHONE } from './harness.js';
import { widgetVisitor } from './visitor-page.js';

const ANN = { email: 'ann@parley.test', password: 'ann-password-1' };
const BEN = { email: 'ben@parley.test', password: 'ben-password-1' };
const NOTE = 'Customer is a VIP: refund approved by Sam, no need to ask for the receipt.';
const SECOND = 'Wrong customer, ignore me';
const REPLY = 'Good news: your refund is on its way.';

/*
 * Internal notes in Chromium against the real server: Ann (an agent) writes a note on a widget
 * visitor's conversation from the composer's Note mode (reached with the keyboard and the mouse),
 * Ben (another agent, on a phone) sees it appear live without a Delete button, and the visitor's
 * widget never shows it: neither its page text nor any frame its socket received carries it, and
 * no typing went to it while Ann wrote. The note claims nothing. Ann deletes a second note of hers
 * and it leaves Ben's screen. Screenshots of the conversation with a note and of the composer in
 * Note mode, laptop and phone, light and dark, go to artifacts/ (look at them). Skipped without
 * Chromium, like dashboard.test.ts.
 */
describe.skipIf(!CHROMIUM)('internal notes in Chromium', () => {
  const { server, problems, browser, api, watch, signIn, conversationOf } = chromiumHarness({
    agents: [
      { ...ANN, name: 'Ann' },
      { ...BEN, name: 'Ben' },
    ],
    // Every confirmation (deleting a note) is accepted.
    onPage: (page) => page.on('dialog', (dialog) => void dialog.accept()),
  });

  /** Every text on a page, shadow roots included (the widget draws in its own). */
  const pageText = (page: Page) =>
    page.evaluate(() => {
      const walk = (node: Node): string => {
        let text = node instanceof Element && node.shadowRoot ? walk(node.shadowRoot) : '';
        for (const child of node.childNodes) text += child.nodeType === Node.TEXT_NODE ? child.textContent : walk(child);
        return text;
      };
      return walk(document.body);
    });

  it('Ann writes a note; Ben sees it live, the visitor never does, and nobody claimed the chat', async () => {
    // A widget visitor asks for a person; every frame its socket receives is kept.
    const visitorContext = await browser().newContext({ viewport: { width: 1100, height: 800 } });
    visitorContext.setDefaultTimeout(8000);
    const visitorPage = watch(await visitorContext.newPage(), 'visitor');
    const visitorFrames: string[] = [];
    visitorPage.on('websocket', (socket) => socket.on('framereceived', ({ payload }) => void visitorFrames.push(String(payload))));
    const visitor = await widgetVisitor(visitorPage, server.url);
    await visitor.say('I would like to talk to a human please');
    await visitor.say('Where is my refund?');
    const id = await conversationOf('refund');
    expect(visitorFrames.length).toBeGreaterThan(0);

    const annContext = await browser().newContext({ viewport: LAPTOP });
    const ann = await signIn(annContext, ANN, `/admin/inbox/${id}`);
    const benContext = await browser().newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const ben = await signIn(benContext, BEN, `/admin/inbox/${id}`);
    const view = ann.locator('parley-conversation-view');
    const benView = ben.locator('parley-conversation-view');
    await view.getByText('Where is my refund?').waitFor();
    await benView.getByText('Where is my refund?').waitFor();

    // Keyboard: Tab reaches the Reply | Note switch, the arrows switch; a click on Note puts the cursor in the box.
    const composer = view.locator('parley-composer');
    const replyRadio = composer.getByRole('radio', { name: 'Reply' });
    await replyRadio.focus();
    await ann.keyboard.press('ArrowRight');
    expect(await composer.getAttribute('mode')).toBe('note');
    expect(await composer.getByRole('radio', { name: 'Note' }).isChecked()).toBe(true);
    await composer.screenshot({ path: `${ARTIFACTS}laptop-composer-note-keyboard.png` });
    await ann.keyboard.press('ArrowLeft');
    expect(await composer.getAttribute('mode')).toBe('reply');
    await composer.locator('[part="mode"][data-mode="note"]').click();
    const box = composer.locator('textarea');
    expect(await box.evaluate((el) => el.getRootNode() instanceof ShadowRoot && (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    expect(await box.getAttribute('placeholder')).toMatch(/visitor will not see/);
    expect((await composer.locator('[part="send"]').textContent())!.trim()).toBe('Add note');

    await box.pressSequentially(NOTE.slice(0, 40), { delay: 10 });
    await box.fill(NOTE);
    await ann.screenshot({ path: `${ARTIFACTS}laptop-composer-note.png` });
    await ann.emulateMedia({ colorScheme: 'dark' });
    await ann.screenshot({ path: `${ARTIFACTS}laptop-dark-composer-note.png` });
    await ann.emulateMedia({ colorScheme: 'light' });
    await box.press('Enter');

    // Ann's note is on her screen and, live, on Ben's phone, without a Delete button for him.
    await view.locator('parley-note-card').getByText(NOTE).waitFor();
    await benView.locator('parley-note-card').getByText(NOTE).waitFor();
    expect(await benView.locator('parley-note-card [part="delete"]').count()).toBe(0);
    expect(await view.locator('parley-note-card [part="delete"]').count()).toBe(1);
    expect(await composer.getAttribute('mode')).toBe('note');
    const notes = ((await (await api('GET', `/api/chats/${id}/notes`)).json()) as NoteList).notes;
    expect(notes.map((n) => [n.author.name, n.text])).toEqual([['Ann', NOTE]]);
    const { chat } = (await (await api('GET', `/api/chats/${id}`)).json()) as ChatDetail;
    expect(chat.status).toBe('waiting');
    expect(chat.assignee).toBeNull();

    await ann.screenshot({ path: `${ARTIFACTS}laptop-conversation-note.png` });
    await ann.emulateMedia({ colorScheme: 'dark' });
    await ann.screenshot({ path: `${ARTIFACTS}laptop-dark-conversation-note.png` });
    await ann.emulateMedia({ colorScheme: 'light' });
    await ben.screenshot({ path: `${ARTIFACTS}phone-conversation-note.png` });
    await ben.emulateMedia({ colorScheme: 'dark' });
    await ben.screenshot({ path: `${ARTIFACTS}phone-dark-conversation-note.png` });
    const benComposer = benView.locator('parley-composer');
    await benComposer.locator('[part="mode"][data-mode="note"]').click();
    await benComposer.locator('textarea').fill('Called them back, all good');
    await ben.screenshot({ path: `${ARTIFACTS}phone-dark-composer-note.png` });
    await ben.emulateMedia({ colorScheme: 'light' });
    await ben.screenshot({ path: `${ARTIFACTS}phone-composer-note.png` });
    expect(await ben.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await benComposer.locator('textarea').fill('');

    // Ann deletes a second note of hers (after the browser's confirm); it leaves Ben's screen too.
    await box.fill(SECOND);
    await box.press('Enter');
    await benView.locator('parley-note-card').getByText(SECOND).waitFor();
    await view.locator('parley-note-card', { hasText: SECOND }).locator('[part="delete"]').click();
    await benView.locator('parley-note-card', { hasText: SECOND }).waitFor({ state: 'detached' });
    await view.locator('parley-note-card', { hasText: SECOND }).waitFor({ state: 'detached' });

    // Back in Reply mode Ann answers: the visitor gets the reply (so its socket was listening) and never the notes.
    await composer.locator('[part="mode"][data-mode="reply"]').click();
    const typingBeforeReply = visitorFrames.filter((frame) => /"type":"typing"/.test(frame) && /"agent"/.test(frame)).length;
    await box.fill(REPLY);
    await box.press('Enter');
    await visitor.waitForText(REPLY);
    await visitorPage.screenshot({ path: `${ARTIFACTS}visitor-no-note.png` });
    const widgetText = await pageText(visitorPage);
    expect(widgetText).toContain(REPLY);
    expect(widgetText).not.toContain('a VIP:');
    expect(widgetText).not.toContain(SECOND);
    await until(() => visitorFrames.some((frame) => frame.includes(REPLY)), 'the reply among the visitor frames');
    // Whole phrases: a random session token in a frame may spell 'VIP'.
    for (const words of ['a VIP:', 'refund approved', SECOND, '"note"', 'note_deleted']) expect(visitorFrames.filter((frame) => frame.includes(words))).toEqual([]);
    expect(typingBeforeReply).toBe(0);

    await Promise.all([visitorContext.close(), annContext.close(), benContext.close()]);
    visitor.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
