import { describe, expect, it } from 'vitest';
import { sanitizeLightHtml } from '@parley/protocol';
import { markdownToLightHtml } from '../../src/ai/markdown.js';

describe('markdownToLightHtml', () => {
  it('renders the Markdown models write as light HTML', () => {
    expect(markdownToLightHtml('Our **opening hours**:\n\n- Mon to Fri: 9-17\n- Sat: *10-14*\n\nSee [our page](https://shop.example/hours).')).toBe(
      '<p>Our <strong>opening hours</strong>:</p><ul><li>Mon to Fri: 9-17</li><li>Sat: <em>10-14</em></li></ul><p>See <a href="https://shop.example/hours">our page</a>.</p>',
    );
    expect(markdownToLightHtml('1. Open the app\n2. Tap `Orders`')).toBe('<ol><li>Open the app</li><li>Tap Orders</li></ol>');
    expect(markdownToLightHtml('## Refunds\nWithin 30 days')).toBe('<b>Refunds</b><br>Within 30 days');
  });

  it('shows raw HTML and unsafe links as text', () => {
    const html = markdownToLightHtml('<img src=x onerror=alert(1)> [click](javascript:void)');
    expect(html).toBe('&lt;img src=x onerror=alert(1)&gt; click');
    expect(markdownToLightHtml('[x](javascript:alert(1))')).not.toContain('href');
    expect(sanitizeLightHtml(html)).toBe(html);
  });

  it('links bare URLs', () => {
    expect(markdownToLightHtml('Go to https://shop.example/track now')).toBe('Go to <a href="https://shop.example/track">https://shop.example/track</a> now');
  });
});
