import { afterEach, describe, expect, it } from 'vitest';
import { $, mount } from '../../../test/dom.js';
import './selected-product-card.js';
import type { ParleySelectedProductCard } from './selected-product-card.component.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-selected-product-card>', () => {
  it('shows the product, quantity times price, and the total', async () => {
    const el = await mount<ParleySelectedProductCard>('parley-selected-product-card', {
      locale: 'en-US',
      product: { name: 'Desk Lamp', quantity: 3, price: 39.99, total_price: 119.97 },
    });
    const card = $(el, '[part=card]');
    expect($(el, '[part=name]').textContent).toBe('Desk Lamp');
    expect(card.textContent).toContain('3 × 39.99');
    expect(card.textContent).toContain('119.97');
  });
});
