import { afterEach, describe, expect, it } from 'vitest';
import { $$, mount } from '../../../test/dom.js';
import './image.js';
import type { ParleyImage } from './image.component.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-image>', () => {
  it('shows an http(s) image with its alt text, linking to the full size', async () => {
    const el = await mount<ParleyImage>('parley-image', { src: 'https://chat.example.com/uploads/abc', alt: 'A broken lamp' });
    const [img] = $$<HTMLImageElement>(el, 'img');
    expect(img!.getAttribute('alt')).toBe('A broken lamp');
    expect(img!.closest('a')!.getAttribute('target')).toBe('_blank');
  });

  it('refuses anything that is not http(s)', async () => {
    const el = await mount<ParleyImage>('parley-image', { src: 'javascript:alert(1)', alt: '' });
    expect($$(el, 'img')).toHaveLength(0);
  });
});
