import type { NoteView } from '@parley/protocol';
import type { ApiClient } from '../api/http.js';

/** The routes the note book uses (the {@link ApiClient}'s, or a test's). */
export type NotesApi = Pick<ApiClient, 'notes' | 'createNote' | 'deleteNote'>;

/** Notes in time order: oldest first, ties by id, as the server lists them. */
export function byTime(a: NoteView, b: NoteView): number {
  return Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The internal notes of the conversations opened so far: agents' notes to each other, never shown
 * to visitors. A conversation's notes load when it is opened ({@link load}), then `note` and
 * `note_deleted` frames keep them current ({@link put}, {@link drop}); a frame that arrives while a
 * load is running is applied on top of what the load brings, so neither wins over the other.
 *
 * @example const notes = new NoteBook(() => session.api, render, showError); await notes.load('c1'); notes.get('c1');
 */
export class NoteBook {
  private readonly lists = new Map<string, NoteView[]>();
  /** Per conversation with a load running: the frames seen since it started (a note, or null for a deletion), by note id. */
  private readonly sinceLoad = new Map<string, Map<string, NoteView | null>>();
  /** Ids of notes deleted: a late copy (the author's POST answering after the deletion frame) stays out. */
  private readonly gone = new Set<string>();

  constructor(
    /** The API to call, read on every call (the session's client). */
    private readonly api: () => NotesApi,
    /** Called after every change. */
    private readonly onChange: () => void,
    /** Hears why writing or deleting a note failed (the inbox shows it in its banner). */
    private readonly onError: (error: unknown) => void,
  ) {}

  /** A conversation's notes in time order (undefined when they were never loaded). */
  get(conversationId: string): readonly NoteView[] | undefined {
    return this.lists.get(conversationId);
  }

  /** Conversations with notes held (to reload after a reconnect). */
  keys(): IterableIterator<string> {
    return this.lists.keys();
  }

  /** Loads (or reloads) a conversation's notes; rejects with the server's error. */
  async load(conversationId: string): Promise<void> {
    const since = new Map<string, NoteView | null>();
    this.sinceLoad.set(conversationId, since);
    try {
      const { notes } = await this.api().notes(conversationId);
      if (this.sinceLoad.get(conversationId) !== since) return; // forgotten, or a newer load runs
      let list = notes;
      for (const [id, note] of since) list = note ? upsert(list, note) : list.filter((n) => n.id !== id);
      this.lists.set(conversationId, [...list].sort(byTime));
      this.onChange();
    } finally {
      if (this.sinceLoad.get(conversationId) === since) this.sinceLoad.delete(conversationId);
    }
  }

  /** Adds a note to the team's view of a conversation: the author's tab and the `note` frame bring the same one. */
  put(conversationId: string, note: NoteView): void {
    if (this.gone.has(note.id)) return;
    this.sinceLoad.get(conversationId)?.set(note.id, note);
    const list = this.lists.get(conversationId);
    if (!list) return;
    this.lists.set(conversationId, upsert(list, note).sort(byTime));
    this.onChange();
  }

  /** Removes a note (deleted here, or a `note_deleted` frame). */
  drop(conversationId: string, noteId: string): void {
    this.gone.add(noteId);
    this.sinceLoad.get(conversationId)?.set(noteId, null);
    const list = this.lists.get(conversationId);
    if (!list?.some((n) => n.id === noteId)) return;
    this.lists.set(conversationId, list.filter((n) => n.id !== noteId));
    this.onChange();
  }

  /** Writes a note (`POST /api/chats/:id/notes`) and shows it at once; false (and `onError` hears why) when refused. */
  async write(conversationId: string, text: string): Promise<boolean> {
    try {
      const { note } = await this.api().createNote(conversationId, { text });
      this.put(conversationId, note);
      return true;
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  /** Deletes a note (its author, admins, the owner); false (and `onError` hears why, e.g. 403) when refused. */
  async erase(conversationId: string, noteId: string): Promise<boolean> {
    try {
      await this.api().deleteNote(conversationId, noteId);
      this.drop(conversationId, noteId);
      return true;
    } catch (error) {
      this.onError(error);
      return false;
    }
  }

  /** Forgets a conversation's notes (it was deleted); a load still running for it stores nothing. */
  forget(conversationId: string): void {
    this.lists.delete(conversationId);
    this.sinceLoad.delete(conversationId);
  }
}

/** The list with the note added, or replacing the one with its id. */
function upsert(list: readonly NoteView[], note: NoteView): NoteView[] {
  return [...list.filter((n) => n.id !== note.id), note];
}
