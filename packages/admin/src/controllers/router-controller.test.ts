import { describe, expect, it } from 'vitest';
import { parseRoute, routePath } from './router-controller.js';
import { shortcut } from '../components/admin-app/shortcuts.js';

describe('routes under /admin', () => {
  it('reads and writes paths, defaulting to the inbox', () => {
    expect(parseRoute('/admin')).toEqual({ screen: 'inbox' });
    expect(parseRoute('/admin/inbox/c_1%2F2')).toEqual({ screen: 'inbox', conversationId: 'c_1/2' });
    expect(parseRoute('/admin/leads')).toEqual({ screen: 'leads' });
    expect(parseRoute('/admin/nonsense/x')).toEqual({ screen: 'inbox' });
    expect(routePath({ screen: 'inbox', conversationId: 'c_1/2' })).toBe('/admin/inbox/c_1%2F2');
    expect(routePath({ screen: 'settings' })).toBe('/admin/settings');
  });

  it('maps keys to moves through the list, never while typing in a field', () => {
    const press = (key: string, target: EventTarget = document.body) => {
      const event = new KeyboardEvent('keydown', { key });
      Object.defineProperty(event, 'composedPath', { value: () => [target] });
      return event;
    };
    const ids = ['a', 'b', 'c'];
    expect(shortcut(press('j'), { screen: 'inbox' }, ids)).toEqual({ screen: 'inbox', conversationId: 'a' });
    expect(shortcut(press('j'), { screen: 'inbox', conversationId: 'a' }, ids)).toEqual({ screen: 'inbox', conversationId: 'b' });
    expect(shortcut(press('k'), { screen: 'inbox', conversationId: 'a' }, ids)).toEqual({ screen: 'inbox', conversationId: 'a' });
    expect(shortcut(press('Escape'), { screen: 'inbox', conversationId: 'a' }, ids)).toEqual({ screen: 'inbox' });
    expect(shortcut(press('r'), { screen: 'inbox', conversationId: 'a' }, ids)).toBe('reply');
    expect(shortcut(press('/'), { screen: 'inbox' }, ids)).toEqual({ screen: 'search' });
    expect(shortcut(press('j', document.createElement('textarea')), { screen: 'inbox' }, ids)).toBeUndefined();
  });
});
