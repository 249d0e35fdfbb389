import { describe, expect, it } from 'vitest';
import type { NoteList, NoteView } from '@parley/protocol';
import { note } from '../../test/fixtures.js';
import { NoteBook, type NotesApi } from './note-book.js';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 10, minute)).toISOString();

/** A note book over a server holding `server`, and `hold`: the next list request waits until released. */
function book(server: NoteView[]) {
  let gate: Promise<void> | undefined;
  let changes = 0;
  const api = {
    async notes(): Promise<NoteList> {
      const waiting = gate;
      gate = undefined;
      await waiting;
      return { notes: [...server] };
    },
  } as unknown as NotesApi;
  const notes = new NoteBook(() => api, () => changes++, () => undefined);
  return {
    notes,
    changes: () => changes,
    /** Holds the next list request; call the function returned to let it answer. */
    hold: (): (() => void) => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
  };
}

describe('note book', () => {
  it("loads a conversation's notes in time order, then note and note_deleted frames change them", async () => {
    const { notes, changes } = book([note('n2', 'Refund approved by Sam', { created_at: at(5) }), note('n1', 'Customer is a VIP', { created_at: at(1) })]);
    notes.put('c1', note('n0', 'before anyone opened it'));
    expect(notes.get('c1')).toBeUndefined();
    await notes.load('c1');
    expect(notes.get('c1')!.map((n) => n.text)).toEqual(['Customer is a VIP', 'Refund approved by Sam']);

    notes.put('c1', note('n3', 'Called them back', { created_at: at(3) }));
    notes.put('c1', note('n3', 'Called them back', { created_at: at(3) }));
    expect(notes.get('c1')!.map((n) => n.id)).toEqual(['n1', 'n3', 'n2']);
    notes.drop('c1', 'n1');
    expect(notes.get('c1')!.map((n) => n.id)).toEqual(['n3', 'n2']);
    expect(changes()).toBe(4);
  });

  it('applies the frames that arrive while the notes load on top of what the load brings', async () => {
    const server = [note('n1', 'Customer is a VIP', { created_at: at(1) }), note('n2', 'Wrong customer, ignore', { created_at: at(2) })];
    const { notes, hold } = book(server);
    const release = hold();
    const loading = notes.load('c1');
    // The server answered the list before these two changes; their frames come first.
    notes.put('c1', note('n3', 'Refund approved by Sam', { created_at: at(3) }));
    notes.drop('c1', 'n2');
    release();
    await loading;
    expect(notes.get('c1')!.map((n) => n.id)).toEqual(['n1', 'n3']);
  });

  it('keeps a deleted note out when a late copy comes, and forgets a deleted conversation even mid-load', async () => {
    const { notes, hold } = book([note('n1', 'Customer is a VIP')]);
    await notes.load('c1');
    notes.drop('c1', 'n1');
    notes.put('c1', note('n1', 'Customer is a VIP'));
    expect(notes.get('c1')).toEqual([]);

    const release = hold();
    const loading = notes.load('c1');
    notes.forget('c1');
    release();
    await loading;
    expect(notes.get('c1')).toBeUndefined();
    expect([...notes.keys()]).toEqual([]);
  });

  it('tells why writing or deleting a note failed, and changes nothing', async () => {
    const refused = new Error('Only its author or an admin can remove a note');
    const api = {
      notes: async () => ({ notes: [note('n1', 'Customer is a VIP')] }),
      createNote: async () => Promise.reject(refused),
      deleteNote: async () => Promise.reject(refused),
    } as unknown as NotesApi;
    const errors: unknown[] = [];
    const notes = new NoteBook(() => api, () => undefined, (error) => errors.push(error));
    await notes.load('c1');
    expect(await notes.write('c1', 'hello')).toBe(false);
    expect(await notes.erase('c1', 'n1')).toBe(false);
    expect(errors).toEqual([refused, refused]);
    expect(notes.get('c1')!.map((n) => n.id)).toEqual(['n1']);
  });
});
