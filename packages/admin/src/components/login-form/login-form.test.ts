import { describe, expect, it } from 'vitest';
import { $, mount, record } from '../../../test/dom.js';
import './login-form.js';

describe('parley-login-form', () => {
  it('reports the email (trimmed) and password, and shows the error it is given', async () => {
    const el = await mount('parley-login-form', { error: 'Wrong email or password.' });
    const logins = record(el, 'parley-login');
    ($(el, 'input[name="email"]') as HTMLInputElement).value = ' ana@example.com ';
    ($(el, 'input[name="password"]') as HTMLInputElement).value = 'secret-pass';
    $(el, 'form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    expect(logins).toEqual([{ email: 'ana@example.com', password: 'secret-pass' }]);
    expect($(el, '[part="error"]')!.textContent).toBe('Wrong email or password.');
  });
});
