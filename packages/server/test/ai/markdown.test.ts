import { describe, expect, it } from 'vitest';
import { sanitizeLightHtml } from '@parley/protocol';
import { markdownToLightHtml } from '../../src/ai/markdown.js';

describe('markdownToLightHtml', () => {
  it('renders the Markdown models write as light HTML', () => {
    expect(markdownToLightHtml('Our **opening hours**:\n\n- Mon to Fri: 9-17\n- Sat: *10-14*\n\nSee [our page](https://shop.example/hours).')).toBe(
      '<p>Our <strong>opening hours</strong>:</p><ul><li>Mon to Fri: 9-17</li><li>Sat: <em>10-14</em></li></ul><p>See <a href="https://shop.example/hours">our page</a>.</p>',
    );
    expect(markdownToLightHtml('1. Open the app\n2. Tap `Orders`')).toBe('<ol><li>Open the app</li><li>Tap Orders</li></ol>');
    expect(markdownToLightHtml('## Refunds\nWithin 30 days')).toBe('<p><b>Refunds</b></p><p>Within 30 days</p>');
    expect(markdownToLightHtml('line one\nline two')).toBe('line one<br>line two');
  });

  it('nests lists, numbered ones inside bulleted ones too', () => {
    expect(markdownToLightHtml('- Shipping\n  - EU: 3 days\n  - US: 7 days\n- Returns\n  1. Pack it\n  2. Send it')).toBe(
      '<ul><li>Shipping<ul><li>EU: 3 days</li><li>US: 7 days</li></ul></li><li>Returns<ol><li>Pack it</li><li>Send it</li></ol></li></ul>',
    );
  });

  it('shows fenced code as its lines of text, indentation kept and markup escaped', () => {
    expect(markdownToLightHtml('Try:\n\n```js\nconst ok = 1 < 2;\n  if (ok) go();\n```')).toBe(
      '<p>Try:</p><p>const ok = 1 &lt; 2;<br>&nbsp;&nbsp;if (ok) go();</p>',
    );
    expect(markdownToLightHtml('Use `<b>x</b>` here')).toBe('Use &lt;b&gt;x&lt;/b&gt; here');
  });

  it('turns a table into a list of rows, each cell named by its column', () => {
    expect(markdownToLightHtml('| Plan | Price |\n| --- | --- |\n| Starter | 10 € |\n| Pro | **20 €** |')).toBe(
      '<ul><li><b>Plan</b>: Starter; <b>Price</b>: 10 €</li><li><b>Plan</b>: Pro; <b>Price</b>: <strong>20 €</strong></li></ul>',
    );
  });

  it('links bare URLs and addresses, without the punctuation after them', () => {
    expect(markdownToLightHtml('Go to https://shop.example/track now')).toBe('Go to <a href="https://shop.example/track">https://shop.example/track</a> now');
    expect(markdownToLightHtml('Track it at https://shop.example/track. Or mail help@shop.example, or see (https://shop.example/faq)!')).toBe(
      'Track it at <a href="https://shop.example/track">https://shop.example/track</a>. Or mail <a href="mailto:help@shop.example">help@shop.example</a>, or see (<a href="https://shop.example/faq">https://shop.example/faq</a>)!',
    );
  });

  it('shows raw HTML and unsafe links as text, and stays light HTML the sanitizer keeps', () => {
    const html = markdownToLightHtml('<img src=x onerror=alert(1)> [click](javascript:void)');
    expect(html).toBe('&lt;img src=x onerror=alert(1)&gt; click');
    expect(markdownToLightHtml('[x](javascript:alert(1))')).not.toContain('href');
    expect(markdownToLightHtml('![x](javascript:alert(1))')).toBe('x');
    expect(markdownToLightHtml('<script>alert(1)</script>\n\nhi')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;<p>hi</p>');
    expect(markdownToLightHtml('[label](https://x.example/"onmouseover=alert(1))')).toBe('label');
    expect(sanitizeLightHtml(html)).toBe(html);
    const rich = markdownToLightHtml('# Title\n\n- a\n  - **b**\n\n| k | v |\n|---|---|\n| 1 | 2 |\n\n```\n<x>\n```\n\n> quote\n\n- [x] done');
    expect(sanitizeLightHtml(rich)).toBe(rich);
  });
});
