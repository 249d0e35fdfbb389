import { afterEach, describe, expect, it } from 'vitest';
import { $, mount } from '../../../test/dom.js';
import './typing.js';
import type { ParleyTyping } from './typing.component.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-typing>', () => {
  it('says who is typing; the dots are hidden from screen readers', async () => {
    const el = await mount<ParleyTyping>('parley-typing', { label: 'Dana is typing…' });
    expect($(el, '[part=label]').textContent).toBe('Dana is typing…');
    expect($(el, '[part=dots]').getAttribute('aria-hidden')).toBe('true');
  });
});
