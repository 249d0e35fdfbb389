import { describe, expect, it } from 'vitest';
import { highlightSnippet } from './search-view.component.js';

describe('search snippets', () => {
  it('keeps only the <mark> highlights as markup', () => {
    expect(highlightSnippet('my <mark>order</mark> <img src=x onerror=alert(1)>')).toBe('my <mark>order</mark> &lt;img src=x onerror=alert(1)&gt;');
  });
});
