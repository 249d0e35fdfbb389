import { describe, expect, it } from 'vitest';
import { snippetParts } from './search-view.component.js';

describe('search snippets', () => {
  it('keeps the <mark> highlights and decodes the escaped text once, to be shown as text', () => {
    // What GET /api/search answers for a visitor who typed `zqx <script>alert(1)</script> & more`.
    expect(snippetParts('<mark>zqx</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; more')).toEqual([
      { text: 'zqx', hit: true },
      { text: ' <script>alert(1)</script> & more', hit: false },
    ]);
    expect(snippetParts('my <mark>order</mark> &lt;img src=x onerror=alert(1)&gt;')).toEqual([
      { text: 'my ', hit: false },
      { text: 'order', hit: true },
      { text: ' <img src=x onerror=alert(1)>', hit: false },
    ]);
    // Literal &amp;lt; in a message stays literal: decoded once, not twice.
    expect(snippetParts('a &amp;lt; b')).toEqual([{ text: 'a &lt; b', hit: false }]);
  });
});
