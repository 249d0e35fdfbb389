import { afterEach, describe, expect, it } from 'vitest';
import { $, mount } from '../../../test/dom.js';
import './text.js';
import type { ParleyText } from './text.component.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-text>', () => {
  it('shows light HTML: bold, lists and safe links', async () => {
    const el = await mount<ParleyText>('parley-text', { html: 'Hi <b>there</b><ul><li>one</li></ul><a href="https://example.com">site</a>' });
    const root = $(el, '[part=text]');
    expect(root.querySelector('b')!.textContent).toBe('there');
    expect(root.querySelectorAll('li')).toHaveLength(1);
    const link = root.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://example.com');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('sanitizes again in the browser: scripts, handlers and javascript: links never reach the DOM', async () => {
    const el = await mount<ParleyText>('parley-text', {
      html: '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a><b onclick="alert(4)">b</b>',
    });
    const root = $(el, '[part=text]');
    expect(root.querySelector('img, script, [onerror], [onclick]')).toBeNull();
    expect(root.querySelector('a')!.hasAttribute('href')).toBe(false);
    expect(root.textContent).toContain('<img src=x onerror="alert(1)">');
  });
});
