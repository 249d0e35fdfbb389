// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { SavedReplyList } from '@parley/protocol';
import { OWNER } from '../server.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP, PHONE } from './harness.js';

const EVE = { email: 'eve@parley.test', password: 'eve-password-1' };
const REFUND = 'Refunds reach your account within 5 working days of us receiving the parcel.';

/*
 * Saved replies in Chromium against the real server: the owner adds one in Settings, Eve (an
 * agent) types `/` and its shortcut in a conversation, picks it and sends it, and the visitor's
 * widget shows the text. Screenshots of the Settings section and of the composer's list, laptop
 * and phone, light and dark, go to artifacts/ (look at them). Skipped without Chromium, like
 * dashboard.test.ts.
 */
describe.skipIf(!CHROMIUM)('saved replies in Chromium', () => {
  const { problems, browser, api, signIn, openVisitor, conversationOf } = chromiumHarness({ agents: [{ ...EVE, name: 'Eve' }] });

  it('the owner adds a saved reply in Settings; Eve picks it with /ref in a conversation and the visitor gets its text', async () => {
    // The owner adds two replies in Settings; a taken shortcut is refused with the server's reason.
    const ownerContext = await browser().newContext({ viewport: LAPTOP });
    const owner = await signIn(ownerContext, OWNER, '/admin/settings');
    const section = owner.locator('parley-saved-replies-settings');
    await section.getByText('No saved replies yet.').waitFor();
    const add = section.locator('[part="add"]');
    for (const [shortcut, text] of [
      ['refund', REFUND],
      ['hello', 'Hi, I am here to help. What can I do for you?'],
      ['return-label', 'I have emailed you a prepaid return label; print it and stick it on the parcel.'],
    ]) {
      await add.getByLabel('Shortcut').fill(shortcut!);
      await add.getByLabel('Text').fill(text!);
      await add.getByRole('button', { name: 'Add saved reply' }).click();
      await section.locator(`[part="reply"][data-shortcut="${shortcut}"]`).waitFor();
    }
    await add.getByLabel('Shortcut').fill('refund');
    await add.getByLabel('Text').fill('A second refund answer');
    await add.getByRole('button', { name: 'Add saved reply' }).click();
    await section.locator('[role="alert"]').waitFor();
    const saved = ((await (await api('GET', '/api/saved-replies')).json()) as SavedReplyList).replies;
    expect(saved.map((r) => r.shortcut)).toEqual(['hello', 'refund', 'return-label']);

    await section.scrollIntoViewIfNeeded();
    await owner.screenshot({ path: `${ARTIFACTS}laptop-settings-saved-replies.png` });
    await owner.emulateMedia({ colorScheme: 'dark' });
    await owner.screenshot({ path: `${ARTIFACTS}laptop-dark-settings-saved-replies.png` });
    await section.locator('[data-shortcut="hello"] [data-action="edit"]').click();
    await section.locator('[part="edit"]').waitFor();
    await owner.screenshot({ path: `${ARTIFACTS}laptop-dark-settings-saved-reply-edit.png` });
    await section.locator('[data-action="cancel"]').click();

    // A visitor asks for a person; Eve claims the conversation.
    const visitorContext = await browser().newContext({ viewport: { width: 1100, height: 800 } });
    const visitor = await openVisitor(visitorContext);
    await visitor.say('I would like to talk to a human please');
    await visitor.say('Where is my refund?');
    const id = await conversationOf('refund');
    const eveContext = await browser().newContext({ viewport: LAPTOP });
    const eve = await signIn(eveContext, EVE, `/admin/inbox/${id}`);
    const view = eve.locator('parley-conversation-view');
    await view.getByText('Where is my refund?').waitFor();
    await view.locator('[data-action="claim"]').click();
    await view.locator('[data-status="agent"]').waitFor();
    await visitor.waitForAgentJoined();

    // `/re` offers both replies starting with "re"; ↓ and ↑ move, Enter inserts, Enter sends.
    const box = view.locator('parley-composer textarea');
    await box.pressSequentially('/re', { delay: 20 });
    const options = view.locator('parley-composer [role="option"]');
    await expect.poll(() => options.evaluateAll((items) => items.map((item) => item.textContent!.replace(/\s+/g, ' ').trim()))).toEqual([
      `/refund${REFUND}`,
      '/return-labelI have emailed you a prepaid return label; print it and stick it on the parcel.',
    ]);
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    await eve.screenshot({ path: `${ARTIFACTS}laptop-composer-saved-replies.png` });
    await box.press('ArrowDown');
    await box.press('ArrowUp');
    expect(await box.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'));
    await box.press('Enter');
    expect(await box.inputValue()).toBe(REFUND);
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await box.press('Enter');
    await visitor.waitForText(REFUND);
    await view.locator('parley-message-bubble[role-name="agent"]').getByText(REFUND).waitFor();
    await visitor.screenshot?.(`${ARTIFACTS}visitor-saved-reply.png`);

    // In dark, the whole list after `/`; Esc closes it.
    await eve.emulateMedia({ colorScheme: 'dark' });
    await box.pressSequentially('/', { delay: 20 });
    await options.nth(2).waitFor();
    await eve.screenshot({ path: `${ARTIFACTS}laptop-dark-composer-saved-replies.png` });
    await box.press('Escape');
    expect(await box.getAttribute('aria-expanded')).toBe('false');
    await box.fill('');

    // On a phone, in light and dark: the list opens above the box and fits.
    const phoneContext = await browser().newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const phone = await signIn(phoneContext, EVE, `/admin/inbox/${id}`);
    const phoneBox = phone.locator('parley-conversation-view parley-composer textarea');
    await phoneBox.pressSequentially('/', { delay: 20 });
    await phone.locator('parley-composer [role="option"]').nth(2).waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await phone.screenshot({ path: `${ARTIFACTS}phone-composer-saved-replies.png` });
    await phone.emulateMedia({ colorScheme: 'dark' });
    await phone.screenshot({ path: `${ARTIFACTS}phone-dark-composer-saved-replies.png` });
    await phone.locator('parley-composer [role="option"][data-shortcut="hello"]').click();
    expect(await phoneBox.inputValue()).toBe('Hi, I am here to help. What can I do for you?');

    const ownerPhoneContext = await browser().newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const ownerPhone = await signIn(ownerPhoneContext, OWNER, '/admin/settings');
    const phoneSection = ownerPhone.locator('parley-saved-replies-settings');
    await phoneSection.locator('[part="reply"]').nth(2).waitFor();
    await phoneSection.scrollIntoViewIfNeeded();
    expect(await ownerPhone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await ownerPhone.screenshot({ path: `${ARTIFACTS}phone-settings-saved-replies.png` });

    await Promise.all([ownerContext.close(), visitorContext.close(), eveContext.close(), phoneContext.close(), ownerPhoneContext.close()]);
    visitor.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
