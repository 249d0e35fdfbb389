import { afterEach, describe, expect, it } from 'vitest';
import { $, mount } from '../../../test/dom.js';
import './article.js';
import type { ParleyArticle } from './article.component.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-article>', () => {
  it('shows the title and excerpt as text, never HTML, with a link to the article', async () => {
    const el = await mount<ParleyArticle>('parley-article', { heading: 'Shipping <b>abroad</b>', excerpt: 'We ship <i>everywhere</i>.', href: 'https://help.example/a/1' });
    expect($(el, '[part=title]').textContent).toBe('Shipping <b>abroad</b>');
    expect($(el, '[part=excerpt]').textContent).toBe('We ship <i>everywhere</i>.');
    expect(el.shadowRoot!.querySelector('b, i')).toBeNull();
    const link = $(el, 'a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('https://help.example/a/1');
    expect(link.textContent).toBe('Read the article');
    expect(link.rel).toContain('noopener');
  });

  it('is a single link when it is a citation (no excerpt)', async () => {
    const el = await mount<ParleyArticle>('parley-article', { heading: 'Returns', excerpt: '', href: 'https://help.example/a/2' });
    expect(el.shadowRoot!.querySelector('[part=excerpt]')).toBeNull();
    expect($(el, 'a').textContent).toBe('Returns');
  });
});
