// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER } from '../server.js';
import { RawVisitor } from '../visitor.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP, PHONE } from './harness.js';

/** A 1x1 PNG: the photo of the damage the visitor uploads. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a30000000049454e44ae426082',
  'hex',
);

if (!CHROMIUM) {
  if (process.env.CI) {
    describe('dashboard in Chromium', () => {
      it('needs Chromium', () => {
        throw new Error("No Chromium found (set CHROMIUM_PATH or install Debian's chromium): browser tests cannot be skipped in CI");
      });
    });
  } else {
    console.warn('\n*** SKIPPING dashboard browser tests: no Chromium at $CHROMIUM_PATH or /usr/bin/chromium (apt-get install chromium) ***\n');
    describe.skip('dashboard in Chromium (no Chromium)', () => {
      it('hands a visitor to an agent and back', () => {});
    });
  }
} else {
  describe('dashboard in Chromium: a visitor and an agent in two browser contexts', () => {
    // Here ERR_CONNECTION console errors are also expected, and any CSP violation counts.
    const { server, problems, browser, openVisitor, ...harness } = chromiumHarness({
      ignoredConsoleErrors: /Failed to load resource|WebSocket connection|ERR_CONNECTION/,
      csp: true,
    });
    /** The owner, signed in. */
    const signIn = (context: BrowserContext, path = '/admin'): Promise<Page> => harness.signIn(context, OWNER, path);

    it('hand-off, claim, typing both ways, replies both ways, resolve, and the bot back', async () => {
      const agentContext = await browser().newContext({ viewport: LAPTOP });
      const visitorContext = await browser().newContext({ viewport: { width: 1100, height: 800 } });
      const agent = await signIn(agentContext);
      await agent.screenshot({ path: `${ARTIFACTS}laptop-inbox-empty.png` });

      // The visitor asks for a person; the agent sees it at once, on top, highlighted.
      const visitor = await openVisitor(visitorContext);
      await visitor.say('I would like to talk to a human please');
      const waitingRow = agent.locator('parley-chat-list [part="item"].waiting');
      await waitingRow.first().waitFor({ timeout: 3000 });
      await agent.getByText('is waiting for a person').waitFor({ timeout: 3000 });
      expect(await agent.title()).toBe('(1) Parley');
      await agent.screenshot({ path: `${ARTIFACTS}laptop-inbox-waiting.png` });

      await waitingRow.first().click();
      const view = agent.locator('parley-conversation-view');
      await view.getByText('talk to a human please').waitFor();
      expect(agent.url()).toMatch(/\/admin\/inbox\/.+/);
      await view.locator('[data-action="claim"]').click();
      await view.locator('[data-status="agent"]').waitFor();
      await visitor.waitForAgentJoined();

      // Typing, both ways.
      const reply = view.locator('parley-composer textarea');
      await reply.pressSequentially('Hello! Let me ', { delay: 20 });
      await visitor.waitForAgentTyping();
      await visitor.screenshot?.(`${ARTIFACTS}visitor-sees-agent-typing.png`);
      await visitor.type('My order 1234 ');
      await view.locator('[part="typing"]').getByText('Visitor is typing').waitFor();
      await agent.screenshot({ path: `${ARTIFACTS}laptop-visitor-typing.png` });

      // Replies, both ways.
      await reply.pressSequentially('check that for you.');
      await reply.press('Enter');
      await visitor.waitForText('Hello! Let me check that for you.');
      await view.locator('parley-message-bubble[role-name="agent"]').getByText('Hello! Let me check that for you.').waitFor();
      await visitor.say('My order 1234 has not arrived');
      await view.getByText('My order 1234 has not arrived').waitFor();
      await agent.screenshot({ path: `${ARTIFACTS}laptop-conversation.png` });
      await visitor.screenshot?.(`${ARTIFACTS}visitor-with-agent.png`);

      // Resolve: the bot answers again.
      await view.locator('[data-action="resolve"]').click();
      await view.locator('[data-status="resolved"]').waitFor();
      const bots = await view.locator('parley-message-bubble[role-name="bot"]').count();
      await visitor.say('hello again');
      await view.getByText('hello again').waitFor();
      await expect.poll(() => view.locator('parley-message-bubble[role-name="bot"]').count(), { timeout: 8000 }).toBeGreaterThan(bots);
      await agent.screenshot({ path: `${ARTIFACTS}laptop-resolved.png` });

      // The same conversation on a phone, in dark: list and conversation are stacked views.
      const phoneContext = await browser().newContext({ viewport: PHONE, colorScheme: 'dark', isMobile: true, hasTouch: true });
      const phone = await signIn(phoneContext);
      await phone.locator('parley-chat-list [part="item"]').first().waitFor();
      await phone.screenshot({ path: `${ARTIFACTS}phone-dark-inbox.png` });
      await phone.locator('parley-chat-list [part="item"]').first().click();
      await phone.locator('parley-conversation-view').getByText('hello again').waitFor();
      expect(await phone.locator('parley-chat-list').isVisible()).toBe(false);
      await phone.screenshot({ path: `${ARTIFACTS}phone-dark-conversation.png` });
      await phone.locator('parley-conversation-view [part="back"]').click();
      await phone.locator('parley-chat-list').waitFor({ state: 'visible' });

      await agent.emulateMedia({ colorScheme: 'dark' });
      await agent.screenshot({ path: `${ARTIFACTS}laptop-dark-conversation.png` });

      await Promise.all([agentContext.close(), visitorContext.close(), phoneContext.close()]);
      visitor.close();
      expect(problems).toEqual([]);
    }, 120_000);

    it('shows every component type the visitor saw, and every screen, at laptop and phone widths', async () => {
      // A visitor goes through the demo flow over a raw socket: buttons, input hints, an error,
      // the product carousel, the selected product, a file request and an uploaded image.
      const visitor = await RawVisitor.connect(server.wsUrl);
      await visitor.turn('action', 'yes');
      await visitor.turn('text', '1234567');
      await visitor.turn('text', '999999');
      await visitor.turn('text', '123456');
      await visitor.turn('action', 'damaged');
      await visitor.turn('action', '2');
      const form = new FormData();
      form.set('chatbot_session', visitor.session);
      form.set('image', new Blob([PNG], { type: 'image/png' }), 'damage.png');
      const upload = (await (await fetch(`${server.url}/api/upload-image/`, { method: 'POST', body: form })).json()) as { uploaded_image_url: string };
      await visitor.turn('action', upload.uploaded_image_url);
      visitor.askForPerson();
      await visitor.next((f) => f.type === 'state' && f.status === 'waiting');

      // Another visitor leaves their details: a lead.
      const lead = await RawVisitor.connect(server.wsUrl);
      await lead.turn('action', 'no');
      await lead.turn('text', 'Zoe Lead');
      await lead.turn('text', 'zoe@example.com');
      await lead.turn('text', '+15550123');
      lead.close();

      const context = await browser().newContext({ viewport: LAPTOP });
      const agent = await signIn(context, `/admin/inbox/${visitor.conversationId}`);
      const view = agent.locator('parley-conversation-view');
      for (const part of ['buttons', 'carousel', 'card', 'alert', 'image', 'file-request', 'hint', 'text']) {
        await view.locator(`parley-component-view [part="${part}"]`).first().waitFor({ state: 'attached' });
      }
      await view.locator('[part="handoff"]').waitFor();
      await view.locator('parley-component-view [part="carousel"]').first().scrollIntoViewIfNeeded();
      await agent.screenshot({ path: `${ARTIFACTS}laptop-components.png` });
      await view.locator('[part="messages"]').evaluate((el) => (el.scrollTop = el.scrollHeight));
      await agent.screenshot({ path: `${ARTIFACTS}laptop-components-end.png` });

      for (const screen of ['search', 'leads', 'agents', 'settings', 'ai', 'webhooks', 'account'] as const) {
        await agent.locator(`parley-nav-bar [data-screen="${screen}"]`).click();
        await agent.locator(`parley-${screen}-view`).waitFor();
        if (screen === 'search') {
          await agent.getByLabel('Search messages').fill('damage');
          await agent.getByLabel('Search messages').press('Enter');
          await agent.locator('parley-search-view [part="result"]').first().waitFor();
        }
        if (screen === 'settings') await agent.locator('parley-settings-view [part="snippet"]').waitFor();
        if (screen === 'ai') await agent.locator('parley-ai-view input[name="model"]').waitFor();
        if (screen === 'webhooks') await agent.locator('parley-webhooks-view [part="add"]').waitFor();
        if (screen === 'agents') await agent.locator('parley-agents-view [part="agent"]').first().waitFor();
        if (screen === 'leads') {
          await agent.locator('parley-leads-view').getByText('zoe@example.com').waitFor();
          await agent.locator('parley-leads-view [data-lead]').first().click();
          await agent.locator('parley-lead-detail [part="transcript"] parley-message-bubble').first().waitFor();
        }
        await agent.screenshot({ path: `${ARTIFACTS}laptop-${screen}.png` });
      }

      const phoneContext = await browser().newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      const phone = await signIn(phoneContext, `/admin/inbox/${visitor.conversationId}`);
      await phone.locator('parley-conversation-view [part="handoff"]').waitFor();
      await phone.screenshot({ path: `${ARTIFACTS}phone-light-conversation.png` });
      await phone.locator('parley-conversation-view [data-action="details"]').click();
      await phone.screenshot({ path: `${ARTIFACTS}phone-light-details.png` });
      await phone.locator('parley-nav-bar [data-screen="settings"]').click();
      await phone.locator('parley-settings-view [part="snippet"]').waitFor();
      await phone.screenshot({ path: `${ARTIFACTS}phone-light-settings.png` });
      await phone.locator('parley-nav-bar [data-screen="account"]').click();
      await phone.locator('parley-account-view [data-action="theme"]').click();
      await phone.locator('parley-account-view').getByText('Use the light theme').waitFor();
      expect(await phone.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
      await phone.screenshot({ path: `${ARTIFACTS}phone-dark-account.png` });

      await Promise.all([context.close(), phoneContext.close()]);
      visitor.close();
      expect(problems).toEqual([]);
    }, 120_000);
  });
}
