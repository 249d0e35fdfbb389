import { describe, expect, it } from 'vitest';
import type { Component } from '@parley/protocol';
import { $, $$, mount, text } from '../../../test/dom.js';
import './component-view.js';

const show = (component: Component) => mount('parley-component-view', { component });

describe('parley-component-view', () => {
  it('shows light HTML text, with scripts, handlers and javascript: links made harmless', async () => {
    const el = await show({
      type: 'text',
      payload: { text: '<b>Hello</b> <img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a><a href="https://ok.example">ok</a>' },
    });
    const part = $(el, '[part="text"]')!;
    expect(part.querySelector('b')?.textContent).toBe('Hello');
    expect(part.querySelector('img, script')).toBeNull();
    expect([...part.querySelectorAll('*')].some((n) => n.hasAttribute('onerror'))).toBe(false);
    const links = [...part.querySelectorAll('a')];
    expect(links[0]!.hasAttribute('href')).toBe(false);
    expect(links[1]!.getAttribute('href')).toBe('https://ok.example');
    expect(links[1]!.getAttribute('rel')).toBe('noopener noreferrer');
    expect(part.textContent).toContain('<script>');
  });

  it('shows the buttons the visitor was offered, read-only', async () => {
    const el = await show({ type: 'button_options', payload: { options: [{ label: 'Track order', value: 'track' }, { label: 'Talk to a person', value: 'human' }] } });
    const buttons = $$(el, '[part="button"]');
    expect(buttons.map((b) => b.textContent)).toEqual(['Track order', 'Talk to a person']);
    expect(el.shadowRoot!.querySelector('button')).toBeNull();
  });

  it('shows a product carousel with index, name, price and picture', async () => {
    const el = await show({
      type: 'product_carousel',
      payload: { products: [{ index: 1, name: 'Mug', quantity: 3, price: 9.5, image: 'https://cdn.example/mug.png' }, { index: 2, name: 'Cap', quantity: 0, price: 12 }] },
    });
    const products = $$(el, '[part="product"]');
    expect(products).toHaveLength(2);
    expect(products[0]!.textContent).toContain('1. Mug');
    expect(products[0]!.textContent).toContain('9.50');
    expect(products[0]!.querySelector('img')?.getAttribute('src')).toBe('https://cdn.example/mug.png');
    expect(products[1]!.querySelector('img')).toBeNull();
  });

  it('shows the selected product with its total', async () => {
    const el = await show({ type: 'selected_product_card', payload: { product: { name: 'Mug', quantity: 2, price: 9.5, total_price: 19 } } });
    expect(text(el)).toContain('Mug');
    expect(text(el)).toContain('19.00');
    expect(text(el)).toContain('2 × 9.50');
    const euro = await show({ type: 'selected_product_card', payload: { product: { name: 'Mug', quantity: 2, price: 9.5, total_price: 19, currency: 'EUR' } } });
    expect(text(euro)).toContain('2 × €9.50');
    expect(text(euro)).toContain('€19.00');
  });

  it('shows a help article as its title linking to the help center, with the excerpt as text', async () => {
    const el = await show({ type: 'article', payload: { title: 'Shipping <b>abroad</b>', excerpt: 'We ship <i>everywhere</i>.', url: '/help/articles/a1' } });
    const link = $(el, '[part="article"] a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/help/articles/a1');
    expect(link.textContent).toBe('Shipping <b>abroad</b>');
    expect(text(el)).toContain('We ship <i>everywhere</i>.');
    expect(el.shadowRoot!.querySelector('b, i')).toBeNull();
  });

  it('shows an error as plain text in an alert', async () => {
    const el = await show({ type: 'error', payload: { text: 'That is not an <b>email</b>' } });
    const alert = $(el, '[part="alert"]')!;
    expect(alert.textContent).toBe('That is not an <b>email</b>');
    expect(alert.querySelector('b')).toBeNull();
  });

  it('shows images, file requests and input hints', async () => {
    const image = await show({ type: 'image', payload: { url: '/uploads/a.png', alt: 'receipt' } });
    expect($(image, 'img')!.getAttribute('alt')).toBe('receipt');
    const file = await show({ type: 'file_request', payload: { prompt: 'Send a photo of the damage', accept: 'image/*', max_bytes: 5 * 1024 * 1024 } });
    expect(text(file)).toContain('Send a photo of the damage');
    expect($(file, '[part="file-request"]')!.getAttribute('title')).toBe('Accepts image/*, up to 5120 KB');
    const hint = await show({ type: 'input', payload: { placeholder: 'you@example.com', kind: 'email' } });
    expect(text(hint)).toContain('an email address');
  });

  it('shows a form with what the visitor entered and what was wrong', async () => {
    const el = await show({
      type: 'form',
      payload: {
        id: 'lead',
        submit_label: 'Send',
        fields: [
          { name: 'name', label: 'Your name', kind: 'text', value: 'Dana' },
          { name: 'email', label: 'Email', kind: 'email', value: 'dana@', error: 'Enter a valid email' },
          { name: 'size', label: 'Size', kind: 'select', value: 'm', options: [{ label: 'Medium', value: 'm' }] },
          { name: 'phone', label: 'Phone', kind: 'phone' },
        ],
      },
    } as unknown as Component);
    const form = $(el, '[part="form"]')!;
    expect(form.textContent).toContain('Dana');
    expect(form.textContent).toContain('Enter a valid email');
    expect(form.textContent).toContain('Medium');
    expect(form.querySelector('input, button')).toBeNull();
  });

  it('names a component type it does not know instead of failing', async () => {
    const el = await show({ type: 'calendar', payload: {} } as unknown as Component);
    expect(text(el)).toBe('[calendar]');
  });
});
