// @vitest-environment node
// AI answers stream into the widget: the client and the real page, against a real server whose AI
// talks to a local OpenAI-compatible provider (the only stand-in: no network here).
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startFakeOpenAI } from '../../server/test/support/fake-openai.js';
import { ParleyClient, type WebSocketConstructor } from '../src/client/index.js';
import { chromiumPath, launchChromium, startHostSite } from './browser.js';
import { MemoryStorage, TestServer, until } from './server.js';

const CHROMIUM = chromiumPath();
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
const PIECES = ['Our shop ', 'opens at ', '**9 am**', ' every day, ', 'including Sundays.'];

describe('AI answers streaming into the widget', () => {
  const parley = new TestServer('localhost');
  let provider: Awaited<ReturnType<typeof startFakeOpenAI>>;

  beforeAll(async () => {
    provider = await startFakeOpenAI(() => ({ chunks: PIECES, chunkDelayMs: 250 }));
    await parley.start();
    const app = parley.app!;
    await app.ai.update(app.companies.defaultCompany().id, { enabled: true, base_url: provider.baseUrl, model: 'test-model', timeout_ms: 10_000 });
  });

  afterAll(async () => {
    await parley.dispose();
    await provider.close();
  });

  it('the client grows the answer piece by piece, then the stored message replaces it once', async () => {
    const client = new ParleyClient({ server: parley.url, WebSocket: WebSocket as unknown as WebSocketConstructor, storage: new MemoryStorage() });
    const seen: string[] = [];
    client.on('change', () => {
      if (client.streaming && seen.at(-1) !== client.streaming.text) seen.push(client.streaming.text);
    });
    client.connect();
    await until(() => client.messages.some((m) => m.role === 'bot'));
    client.sendMessage('When do you open?');
    await until(() => client.messages.filter((m) => m.role === 'bot').length >= 3, 'the answer and the question again');
    client.disconnect();

    expect(seen).toEqual(['Our shop ', 'Our shop opens at ', 'Our shop opens at **9 am**', 'Our shop opens at **9 am** every day, ', 'Our shop opens at **9 am** every day, including Sundays.']);
    expect(client.streaming).toBeUndefined();
    const bots = client.messages.filter((m) => m.role === 'bot');
    expect(bots[1]!.components).toEqual([{ type: 'text', payload: { text: 'Our shop opens at <strong>9 am</strong> every day, including Sundays.' } }]);
    expect(bots[2]!.components[0]).toEqual({ type: 'text', payload: { text: "Hi! I'm the Parley support bot. <b>Are you an existing customer?</b>" } });
    expect(client.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  (CHROMIUM ? it : it.skip)('a visitor sees "thinking", then the answer growing, then the final message in Chromium', async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const site = await startHostSite(() => `${parley.url}/widget.js`);
    const browser = await launchChromium(CHROMIUM!);
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(site.url);
      await page.getByRole('button', { name: 'Open chat' }).click();
      const chat = page.locator('parley-chat');
      await chat.getByText('Are you an existing customer?').waitFor();
      const input = chat.locator('parley-composer input');
      await input.fill('When do you open?');
      await input.press('Enter');

      const growing = chat.locator('parley-message.streaming');
      await growing.getByText('Our shop opens at').waitFor();
      const partial = await growing.innerText();
      expect(partial).not.toContain('including Sundays');
      await page.screenshot({ path: `${ARTIFACTS}ai-streaming.png` });

      await chat.locator('strong', { hasText: '9 am' }).waitFor({ timeout: 10_000 });
      await expect.poll(() => growing.count()).toBe(0);
      await expect.poll(() => chat.getByText('Are you an existing customer?').count()).toBe(2);
      expect(await chat.getByText('including Sundays.').count()).toBe(1);
      await page.screenshot({ path: `${ARTIFACTS}ai-answered.png` });
    } finally {
      await browser.close();
      await site.close();
    }
  });
});
