// @vitest-environment node
import { mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchChromium, startHostSite } from './browser.js';
import { TestServer } from './server.js';

const CHROMIUM = chromiumPath();
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));
/** What the visitor uploads as the photo of the damage: a 160x100 PNG with a gradient. */
const PNG = makePng(160, 100);

function makePng(width: number, height: number): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (data: Buffer) => {
    let c = 0xffffffff;
    for (const byte of data) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rows.set([200, Math.round((x / width) * 160), Math.round((y / height) * 120)], y * (width * 3 + 1) + 1 + x * 3);
  }
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

if (!CHROMIUM) {
  if (process.env.CI) {
    describe('browser end to end', () => {
      it('needs Chromium', () => {
        throw new Error('No Chromium found (set CHROMIUM_PATH or install Debian\'s chromium): browser tests cannot be skipped in CI');
      });
    });
  } else {
    console.warn('\n*** SKIPPING browser end-to-end tests: no Chromium at $CHROMIUM_PATH or /usr/bin/chromium (apt-get install chromium) ***\n');
    describe.skip('browser end to end (no Chromium)', () => {
      it('runs the demo flow in Chromium', () => {});
    });
  }
} else {
  describe('browser end to end: the script tag on another origin', () => {
    // The Parley server answers on "localhost", the shop on "127.0.0.1": two origins.
    const parley = new TestServer('localhost');
    let site: Awaited<ReturnType<typeof startHostSite>>;
    let browser: Browser;

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await parley.start();
      site = await startHostSite(() => `${parley.url}/widget.js`);
      browser = await launchChromium(CHROMIUM);
    });

    afterAll(async () => {
      await browser?.close();
      await site?.close();
      await parley.dispose();
    });

    const chat = (page: Page) => page.locator('parley-chat');
    const composer = (page: Page) => chat(page).locator('parley-composer input');
    const say = async (page: Page, text: string) => {
      await composer(page).fill(text);
      await composer(page).press('Enter');
    };
    const errors: string[] = [];
    const watch = (page: Page) => {
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/Failed to load resource|WebSocket connection/.test(message.text())) errors.push(message.text());
      });
      return page;
    };

    it('runs the whole demo flow by clicking and typing, uploads an image, and survives a reload and a server restart', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = watch(await context.newPage());
      const sockets: string[] = [];
      page.on('websocket', (ws) => sockets.push(ws.url()));
      await page.goto(site.url);

      // Before the visitor opens anything: a launcher, no socket, nothing stored.
      const launcher = page.getByRole('button', { name: 'Open chat' });
      await launcher.waitFor();
      await page.waitForTimeout(500);
      expect(sockets).toEqual([]);
      expect(await page.evaluate(() => localStorage.length + document.cookie.length)).toBe(0);

      await launcher.click();
      await chat(page).getByText('Are you an existing customer?').waitFor();
      expect(sockets).toHaveLength(1);
      expect(sockets[0]).toContain(`localhost:${parley.port}/ws`);
      expect(await page.evaluate(() => (window as unknown as { __opened: number }).__opened)).toBe(1);
      await expect.poll(() => composer(page).evaluate((el) => el === (el.getRootNode() as ShadowRoot).activeElement)).toBe(true);
      await page.screenshot({ path: `${ARTIFACTS}desktop-greeting.png` });

      // Existing customer: a wrong account number shows the error, a right one moves on.
      await chat(page).getByRole('button', { name: 'Yes' }).click();
      await chat(page).getByText('Please enter your account number').waitFor();
      expect(await chat(page).getByRole('button', { name: 'Yes' }).getAttribute('aria-pressed')).toBe('true');
      expect(await composer(page).getAttribute('inputmode')).toBe('numeric');
      await say(page, '12');
      const alert = chat(page).getByRole('alert').filter({ hasText: 'An account number has 6 to 10 digits' });
      await alert.waitFor();
      await page.screenshot({ path: `${ARTIFACTS}desktop-validation-error.png` });
      await say(page, '12345678');
      await chat(page).getByText('We sent a one-time code').waitFor();
      expect(await composer(page).getAttribute('autocomplete')).toBe('one-time-code');
      await say(page, '123456');
      await chat(page).getByText('you are verified').waitFor();

      // Damaged product: pick it, pick the product in the carousel, upload a photo.
      await chat(page).getByRole('button', { name: 'Damaged Product' }).click();
      const lamp = chat(page).getByRole('button', { name: /^Desk Lamp/ });
      await lamp.waitFor();
      await lamp.focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('Enter');
      await chat(page).getByText('You selected:').waitFor();
      await chat(page).getByText('119.97').waitFor();
      await chat(page).getByText('Please upload a photo of the damage').waitFor();
      await chat(page).locator('parley-file-request input[type=file]').setInputFiles({ name: 'damage.png', mimeType: 'image/png', buffer: PNG });
      await chat(page).getByText('Please enter the Damaged Quantity').waitFor();
      const uploaded = chat(page).locator('parley-message[role-name=user] parley-image img');
      await uploaded.waitFor();
      await expect.poll(() => uploaded.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(160);
      await page.screenshot({ path: `${ARTIFACTS}desktop-upload.png` });

      // Reload: the conversation is still there, once.
      const before = await chat(page).locator('parley-message').count();
      await page.reload();
      await page.getByRole('button', { name: 'Open chat' }).click();
      await chat(page).getByText('Please enter the Damaged Quantity').waitFor();
      await expect.poll(() => chat(page).locator('parley-message').count()).toBe(before);
      expect(await chat(page).getByText('Are you an existing customer?').count()).toBe(1);
      await chat(page).locator('parley-message[role-name=user] parley-image img').waitFor();

      // The server restarts mid-conversation; what the visitor types meanwhile is sent once.
      await parley.stop();
      await chat(page).getByText('Reconnecting').waitFor();
      await say(page, '2');
      await chat(page).getByText('Sending…').waitFor();
      await page.screenshot({ path: `${ARTIFACTS}desktop-reconnecting.png` });
      await parley.start();
      await chat(page).getByText('We opened a ticket').waitFor({ timeout: 20_000 });
      await chat(page).getByText('Online', { exact: true }).waitFor();
      const session = await page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('parley:'))![1]).session as string);
      const history = await parley.history(session);
      expect(history.map((m) => m.seq)).toEqual(history.map((_, i) => i + 1));
      expect(history.filter((m) => m.role === 'user' && JSON.stringify(m.components).includes('"2"'))).toHaveLength(1);
      expect(history.filter((m) => JSON.stringify(m.components).includes('We opened a ticket'))).toHaveLength(1);
      await expect.poll(() => chat(page).locator('parley-message').count()).toBe(history.length);
      await page.screenshot({ path: `${ARTIFACTS}desktop-done.png` });

      // Escape closes the panel and gives focus back to the launcher.
      await composer(page).focus();
      await page.keyboard.press('Escape');
      await expect.poll(() => chat(page).getAttribute('open')).toBe(null);
      await expect.poll(() => page.evaluate(() => document.querySelector('parley-chat')!.shadowRoot!.activeElement?.className)).toBe('launcher');
      await context.close();
      expect(errors).toEqual([]);
    });

    it('fills the screen on a 390 px phone', async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const page = watch(await context.newPage());
      await page.goto(`${site.url}?attrs=${encodeURIComponent('data-open data-color="#0f766e" data-title="Acme help"')}`);
      await chat(page).getByText('Are you an existing customer?').waitFor();
      const box = await chat(page).locator('.panel').boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: 390, height: 844 });
      await chat(page).getByRole('button', { name: 'No' }).click();
      await chat(page).getByText('What is your name?').waitFor();
      await page.screenshot({ path: `${ARTIFACTS}mobile-390.png` });
      await chat(page).getByRole('button', { name: 'Talk to a person' }).click();
      await chat(page).locator('[part=notice]').getByText("I've asked a person to join").waitFor();
      await expect.poll(() => chat(page).getByRole('button', { name: 'Talk to a person' }).count()).toBe(0);
      await page.screenshot({ path: `${ARTIFACTS}mobile-390-handoff.png` });
      await context.close();
    });

    it('mirrors the layout for a right-to-left language', async () => {
      const context = await browser.newContext({ viewport: { width: 1024, height: 760 } });
      const page = watch(await context.newPage());
      await page.goto(`${site.url}?attrs=${encodeURIComponent('data-locale="ar" data-open')}`);
      await chat(page).getByRole('button', { name: 'No' }).click();
      await chat(page).getByText('What is your name?').waitFor();
      expect(await chat(page).evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      const bot = await chat(page).locator('parley-message[role-name=bot]').first().locator('[part=bubble]').boundingBox();
      const mine = await chat(page).locator('parley-message[role-name=user] [part=bubble]').boundingBox();
      expect(mine!.x).toBeLessThan(bot!.x);
      await page.screenshot({ path: `${ARTIFACTS}rtl.png` });
      await context.close();
    });

    it('draws the dark theme, on the left', async () => {
      const context = await browser.newContext({ viewport: { width: 1024, height: 760 }, colorScheme: 'dark' });
      const page = watch(await context.newPage());
      await page.goto(`${site.url}?attrs=${encodeURIComponent('data-theme="auto" data-position="left"')}`);
      await page.getByRole('button', { name: 'Open chat' }).click();
      await chat(page).getByText('Are you an existing customer?').waitFor();
      const surface = await chat(page).locator('.panel').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(surface).toBe('rgb(23, 25, 30)');
      const box = await chat(page).locator('.panel').boundingBox();
      expect(box!.x).toBeLessThan(100);
      await page.screenshot({ path: `${ARTIFACTS}dark-left.png` });
      await context.close();
    });
  });
}
