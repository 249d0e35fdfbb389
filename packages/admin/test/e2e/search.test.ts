// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { SearchResponse } from '@parley/protocol';
import { OWNER } from '../server.js';
import { RawVisitor } from '../visitor.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP } from './harness.js';

/** What the visitor typed: markup, an ampersand and quotes, to be read by the agent exactly so. */
const TYPED = `zqx <script>alert(1)</script> & "fish" <b>chips</b>`;

/*
 * The Search screen in Chromium against the real server: a visitor's message holding `<`, `>`,
 * `&` and quotes is found and shown exactly as the visitor typed it (not `&lt;script&gt;`), with
 * the match highlighted, and nothing in it runs. Screenshot: artifacts/laptop-search-markup.png.
 */
describe.skipIf(!CHROMIUM)('search in Chromium', () => {
  const { server, problems, browser, api, signIn } = chromiumHarness();

  it("shows a message with markup in it as the visitor's own text, once escaped, never run", async () => {
    const visitor = await RawVisitor.connect(server.wsUrl);
    await visitor.say(TYPED);
    // The server's snippet is escaped HTML with the hit marked (what the screen receives).
    const search = (await (await api('GET', '/api/search?q=zqx')).json()) as SearchResponse;
    expect(search.results[0]!.snippet).toBe('<mark>zqx</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;fish&quot; &lt;b&gt;chips&lt;/b&gt;');

    const page = await signIn(await browser().newContext({ viewport: LAPTOP }), OWNER, '/admin/search');
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs++;
      void dialog.dismiss();
    });
    const view = page.locator('parley-search-view');
    await view.getByLabel('Search messages').fill('zqx');
    await view.getByLabel('Search messages').press('Enter');
    const snippet = view.locator('[part="result"] > span').first();
    await snippet.waitFor();
    expect(await snippet.textContent()).toBe(TYPED);
    expect(await snippet.locator('mark').allTextContents()).toEqual(['zqx']);
    // The visitor's tags are text: no script or b element was made from them.
    expect(await snippet.evaluate((el) => [...el.querySelectorAll('*')].map((e) => e.localName))).toEqual(['mark']);
    await page.screenshot({ path: `${ARTIFACTS}laptop-search-markup.png` });
    expect(dialogs).toBe(0);
    expect(problems).toEqual([]);
    visitor.close();
  });
});
