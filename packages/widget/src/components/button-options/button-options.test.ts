import { afterEach, describe, expect, it } from 'vitest';
import { $$, mount, record } from '../../../test/dom.js';
import type { ParleyActionEvent } from '../../events/parley-action.js';
import './button-options.js';
import type { ParleyButtonOptions } from './button-options.component.js';

afterEach(() => document.body.replaceChildren());

describe('<parley-button-options>', () => {
  it('sends the clicked value, then shows the choice and disables the group', async () => {
    const actions = record<ParleyActionEvent>('parley-action');
    const el = await mount<ParleyButtonOptions>('parley-button-options', {
      options: [
        { label: 'Yes', value: 'yes' },
        { label: 'No', value: 'no' },
      ],
    });
    const [yes, no] = $$<HTMLButtonElement>(el, 'button');
    no!.click();
    await el.updateComplete;
    expect(actions.map((a) => [a.value, a.shown])).toEqual([['no', 'No']]);
    expect(no!.getAttribute('aria-pressed')).toBe('true');
    expect(yes!.getAttribute('aria-pressed')).toBe('false');
    expect(yes!.disabled && no!.disabled).toBe(true);
    yes!.click();
    expect(actions).toHaveLength(1);
  });

  it('shows an earlier choice after a reload', async () => {
    const el = await mount<ParleyButtonOptions>('parley-button-options', { options: [{ label: 'Yes', value: 'yes' }], disabled: true, chosen: 'Yes' });
    expect($$(el, 'button')[0]!.getAttribute('aria-pressed')).toBe('true');
  });
});
