import { afterEach, describe, expect, it } from 'vitest';
import { $$, mount, record } from '../../../test/dom.js';
import type { ParleyActionEvent } from '../../events/parley-action.js';
import './product-carousel.js';
import type { ParleyProductCarousel } from './product-carousel.component.js';

afterEach(() => document.body.replaceChildren());

const products = [
  { index: 1, name: 'Ceramic Mug', quantity: 2, price: 12.5 },
  { index: 2, name: 'Linen Tote Bag', quantity: 1, price: 24, image: '/img/tote.png' },
  { index: 3, name: 'Desk Lamp', quantity: 3, price: 39.99 },
];

describe('<parley-product-carousel>', () => {
  it('moves between cards with the arrow keys and sends the picked index', async () => {
    const actions = record<ParleyActionEvent>('parley-action');
    const el = await mount<ParleyProductCarousel>('parley-product-carousel', { products, locale: 'en-US' });
    const cards = () => $$<HTMLButtonElement>(el, '[part=product]');
    expect(cards().map((c) => c.tabIndex)).toEqual([0, -1, -1]);
    cards()[0]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, composed: true }));
    await el.updateComplete;
    await el.updateComplete;
    expect(cards().map((c) => c.tabIndex)).toEqual([-1, 0, -1]);
    cards()[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true, composed: true }));
    await el.updateComplete;
    expect(cards().map((c) => c.tabIndex)).toEqual([-1, -1, 0]);
    cards()[2]!.click();
    await el.updateComplete;
    expect(actions.map((a) => [a.value, a.shown])).toEqual([['3', 'Desk Lamp']]);
    expect(cards().every((c) => c.disabled)).toBe(true);
    expect(cards()[2]!.getAttribute('aria-pressed')).toBe('true');
  });

  it('shows images only when they resolve to http(s)', async () => {
    const el = await mount<ParleyProductCarousel>('parley-product-carousel', {
      products,
      resolveUrl: (url: string) => new URL(url, 'https://chat.example.com').href,
    });
    expect($$<HTMLImageElement>(el, 'img').map((i) => i.getAttribute('src'))).toEqual(['https://chat.example.com/img/tote.png']);
  });

  it("shows prices in the flow's currency, formatted for the visitor's locale", async () => {
    const priced = [
      { index: 1, name: 'Ceramic Mug', quantity: 2, price: 12.5, currency: 'EUR', description: 'Stoneware, 350 ml' },
      { index: 2, name: 'Desk Lamp', quantity: 1, price: 39.99, currency: 'USD' },
    ];
    const el = await mount<ParleyProductCarousel>('parley-product-carousel', { products: priced, locale: 'en-US' });
    const cards = $$<HTMLButtonElement>(el, '[part=product]');
    expect(cards.map((c) => c.textContent!.replace(/\s+/g, ' ').trim())).toEqual([
      'Ceramic Mug Stoneware, 350 ml Quantity: 2 €12.50 Select →',
      'Desk Lamp Quantity: 1 $39.99 Select →',
    ]);
    const de = await mount<ParleyProductCarousel>('parley-product-carousel', { products: priced, locale: 'de-DE' });
    expect($$<HTMLButtonElement>(de, '[part=product]')[0]!.getAttribute('aria-label')!.replace(/\s/g, ' ')).toBe('Ceramic Mug, Quantity 2, 12,50 €');
  });
});
