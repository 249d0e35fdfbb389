import { afterEach, describe, expect, it } from 'vitest';
import { $, mount } from '../../../test/dom.js';
import './error.js';
import type { ParleyError } from './error.component.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-error>', () => {
  it('is an alert with its text shown literally, never as HTML', async () => {
    const el = await mount<ParleyError>('parley-error', { text: 'Code <b>wrong</b>' });
    const alert = $(el, '[role=alert]');
    expect(alert.textContent).toContain('Code <b>wrong</b>');
    expect(alert.querySelector('b')).toBeNull();
  });
});
