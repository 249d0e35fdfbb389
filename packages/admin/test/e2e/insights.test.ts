// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP, PHONE } from './harness.js';
import { OWNER } from '../server.js';
import { widgetVisitor } from './visitor-page.js';

const COMMENT = 'Sorted my refund in two minutes';

/*
 * Visitor satisfaction end to end in Chromium against the real server: the admin turns CSAT on,
 * a widget visitor asks for a person, an agent answers and resolves, the widget shows the rating
 * (loaded on demand), the visitor gives 4 stars with a comment, and the admin sees it in the
 * conversation's Details and in Insights (the card, the distribution table and the comments).
 * Screenshots of Insights at laptop and phone widths, light and dark, go to artifacts/.
 */
describe.skipIf(!CHROMIUM)('CSAT and Insights in Chromium', () => {
  const { server, problems, browser, api, watch, signIn, conversationOf } = chromiumHarness();

  it('an agent resolves, the visitor rates, the admin sees it in Details and Insights', async () => {
    expect((await api('PUT', '/api/csat/settings', { enabled: true, scale: 'five', ask_after: 'agent' })).status).toBe(200);

    const visitorContext = await browser().newContext({ viewport: { width: 1100, height: 800 } });
    visitorContext.setDefaultTimeout(8000);
    const visitorPage = watch(await visitorContext.newPage(), 'visitor');
    const visitor = await widgetVisitor(visitorPage, server.url);
    await visitor.say('I would like to talk to a human please');
    await visitor.say('My refund for order 1042 is late');
    const id = await conversationOf('refund');

    // The agent (the owner) answers and resolves.
    expect((await api('POST', `/api/chats/${id}/messages`, { text: 'Your refund left today.' })).status).toBe(201);
    expect((await api('POST', `/api/chats/${id}/resolve`, {})).status).toBe(200);

    // The widget shows the rating: 4 stars and a comment.
    const rating = visitorPage.locator('parley-chat parley-rating');
    await rating.getByRole('button', { name: '4 of 5' }).click();
    expect(await rating.getByRole('button', { name: '4 of 5' }).getAttribute('aria-pressed')).toBe('true');
    expect(await rating.getByRole('button', { name: '5 of 5' }).getAttribute('aria-pressed')).toBe('false');
    await rating.getByRole('textbox', { name: 'Comment (optional)' }).fill(COMMENT);
    await visitorPage.screenshot({ path: `${ARTIFACTS}widget-rating.png` });
    await rating.getByRole('button', { name: 'Send' }).click();
    await rating.getByText('Thank you for your feedback!').waitFor();
    await visitorPage.screenshot({ path: `${ARTIFACTS}widget-rating-thanks.png` });

    // The conversation's Details show it.
    const adminContext = await browser().newContext({ viewport: LAPTOP });
    const admin = await signIn(adminContext, OWNER, `/admin/inbox/${id}`);
    const details = admin.locator('parley-visitor-details');
    await details.locator('[part="rating"]').getByText('4/5').waitFor();
    expect(await details.locator('[part="rating-comment"]').textContent()).toBe(COMMENT);

    // Insights: the satisfaction card, the distribution and the comment.
    await admin.locator('parley-nav-bar').getByRole('link', { name: 'Insights' }).click();
    const insights = admin.locator('parley-insights-view');
    await insights.getByText('4 / 5 (1)').waitFor();
    const card = (label: string) => insights.locator('.card', { hasText: label }).locator('b');
    expect(await card('Conversations').textContent()).toBe('1');
    expect(await card('Handed to a person').textContent()).toBe('1');
    expect(await card('Resolved by a person').textContent()).toBe('1');
    const csat = insights.locator('section', { has: admin.getByRole('heading', { name: 'Visitor satisfaction' }) });
    await csat.getByText('Table').click();
    expect(await csat.locator('tbody tr').nth(3).textContent()).toBe('41');
    const comments = insights.locator('section', { has: admin.getByRole('heading', { name: 'Comments' }) });
    await comments.getByText('Table').click();
    await comments.getByText(COMMENT).waitFor();

    // A CSV export of the daily chart.
    const daily = insights.locator('section', { has: admin.getByRole('heading', { name: 'Conversations per day' }) });
    const [download] = await Promise.all([admin.waitForEvent('download'), daily.getByRole('button', { name: 'CSV' }).click()]);
    const csv = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(csv).toString()).toMatch(/^Day,Conversations,Bot only,Handed off \(open\),Resolved,Abandoned\r\n/);

    await admin.screenshot({ path: `${ARTIFACTS}laptop-insights.png`, fullPage: true });
    // The lower charts: the heatmap and the funnel, drawn on the flow's steps.
    await insights.locator('section', { has: admin.getByRole('heading', { name: 'Busiest hours' }) }).screenshot({ path: `${ARTIFACTS}laptop-insights-hours.png` });
    await insights.locator('section', { has: admin.getByRole('heading', { name: /funnel/ }) }).screenshot({ path: `${ARTIFACTS}laptop-insights-funnel.png` });
    // The rating settings: open, they show what the company saved (rating on in this test).
    await admin.getByText('Rating settings').click();
    await expect.poll(() => admin.getByLabel('Ask visitors to rate the conversation').isChecked()).toBe(true);
    await admin.screenshot({ path: `${ARTIFACTS}laptop-insights-settings.png` });
    await admin.getByText('Rating settings').click();
    await admin.emulateMedia({ colorScheme: 'dark' });
    await admin.screenshot({ path: `${ARTIFACTS}laptop-dark-insights.png`, fullPage: true });

    const phoneContext = await browser().newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    const phone = await signIn(phoneContext, OWNER, '/admin/insights');
    await phone.locator('parley-insights-view').getByText('4 / 5 (1)').waitFor();
    await phone.screenshot({ path: `${ARTIFACTS}phone-insights.png`, fullPage: true });
    await phone.emulateMedia({ colorScheme: 'dark' });
    await phone.screenshot({ path: `${ARTIFACTS}phone-dark-insights.png`, fullPage: true });

    expect(problems).toEqual([]);
  });
});
