import { describe, expect, it } from 'vitest';
import { SessionStore, savedPending } from './session-store.js';
import type { StorageLike } from './types.js';

const shown = [{ type: 'text' as const, payload: { text: 'Hi' } }];

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

describe('the saved outbox', () => {
  it('gives back what the visitor had not sent yet, in the shape it was saved', () => {
    const storage = memoryStorage();
    const store = new SessionStore('parley:test', storage);
    store.enable();
    const outbox = [
      { id: 'a', kind: 'text' as const, text: 'Where is my order?', shown, state: 'queued' as const },
      { id: 'b', kind: 'action' as const, value: 'yes', shown, state: 'failed' as const, error: 'Too long' },
      { id: 'c', kind: 'form' as const, form: 'contact', values: { email: 'ada@example.com' }, shown, state: 'queued' as const },
      { id: 'd', kind: 'handoff' as const, shown, state: 'queued' as const },
    ];
    store.save({ session: 's', read: 3, outbox });
    expect(store.load()).toEqual({ session: 's', read: 3, outbox });
  });

  it('reads entries an older widget saved (typed text as `message`, a form id in `value`)', () => {
    const storage = memoryStorage();
    const old = [
      { id: 'a', kind: 'message', value: 'Hello', shown, state: 'queued' },
      { id: 'b', kind: 'form', value: 'contact', values: { name: 'Ada' }, shown, state: 'queued' },
      { id: 'c', kind: 'handoff', value: 'Talk to a person', shown, state: 'queued' },
      { id: 'd', kind: 'action', value: '2', shown, state: 'queued' },
    ];
    storage.setItem('parley:test', JSON.stringify({ session: 's', read: 0, outbox: old }));
    expect(new SessionStore('parley:test', storage).load().outbox).toEqual([
      { id: 'a', kind: 'text', text: 'Hello', shown, state: 'queued' },
      { id: 'b', kind: 'form', form: 'contact', values: { name: 'Ada' }, shown, state: 'queued' },
      { id: 'c', kind: 'handoff', shown, state: 'queued' },
      { id: 'd', kind: 'action', value: '2', shown, state: 'queued' },
    ]);
  });

  it('drops what is not an outbox entry', () => {
    expect(savedPending(null)).toBeUndefined();
    expect(savedPending({ id: 'a', kind: 'text', shown })).toBeUndefined();
    expect(savedPending({ id: 'a', kind: 'shout', text: 'x', shown })).toBeUndefined();
    expect(savedPending({ kind: 'text', text: 'x', shown })).toBeUndefined();
    expect(savedPending({ id: 'a', kind: 'form', form: 'f', shown })).toBeUndefined();
  });
});
