import type { Page } from 'playwright-core';

/** What the end-to-end test needs from a visitor, whether a widget page or a raw socket. */
export interface Visitor {
  say(text: string): Promise<unknown>;
  /** Types without sending (the agent should see "typing"). */
  type(text: string): Promise<void>;
  waitForText(text: string): Promise<void>;
  waitForAgentJoined(): Promise<void>;
  waitForAgentTyping(): Promise<void>;
  screenshot?(path: string): Promise<unknown>;
  close(): void;
}

/** A visitor on the server's demo page, talking through the real widget (`/widget.js`). */
export async function widgetVisitor(page: Page, serverUrl: string): Promise<Visitor> {
  await page.goto(`${serverUrl}/`);
  await page.getByRole('button', { name: 'Open chat' }).click();
  const chat = page.locator('parley-chat');
  await chat.locator('parley-message').first().waitFor();
  const input = chat.locator('parley-composer input, parley-composer textarea').first();
  return {
    async say(text) {
      await input.fill(text);
      await input.press('Enter');
    },
    type: (text) => input.pressSequentially(text, { delay: 20 }),
    waitForText: (text) => chat.getByText(text).last().waitFor(),
    waitForAgentJoined: () => chat.getByText(/joined the conversation/i).first().waitFor(),
    waitForAgentTyping: () => chat.locator('parley-typing').filter({ hasText: /typing/i }).first().waitFor(),
    screenshot: (path) => page.screenshot({ path }),
    close() {},
  };
}
