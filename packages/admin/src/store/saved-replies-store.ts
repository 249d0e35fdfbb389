import type { CreateSavedReplyRequest, SavedReplyView, UpdateSavedReplyRequest } from '@parley/protocol';
import type { ApiClient } from '../api/http.js';
import { ApiRequestError, errorMessage } from '../api/errors.js';
import { Notifier } from '../lib/observable.js';
import { byShortcut } from '../lib/saved-reply-search.js';

/**
 * The company's saved replies for one session, headless, shared by the composer and Settings.
 * Loaded once, when first needed ({@link ensureLoaded}), and kept current by the changes made
 * through it, so what an admin changes in Settings is what the composer offers in this tab.
 *
 * @example const store = new SavedRepliesStore(session.api); await store.ensureLoaded(); store.replies;
 */
export class SavedRepliesStore extends Notifier {
  /** The replies, by shortcut. */
  replies: readonly SavedReplyView[] = [];
  loaded = false;
  /** Why the last load failed ('' when it did not). */
  error = '';
  private loading: Promise<void> | undefined;

  constructor(private readonly api: ApiClient) {
    super();
  }

  /** True while a load is in flight. */
  get running(): boolean {
    return this.loading !== undefined;
  }

  /** Loads the replies unless they are loaded or loading; after a failed load the next call tries again. */
  ensureLoaded(): Promise<void> {
    if (this.loaded) return Promise.resolve();
    return (this.loading ??= this.load());
  }

  /** Loads the replies again (Settings does, to show what other admins changed). */
  reload(): Promise<void> {
    return (this.loading ??= this.load());
  }

  /** Adds a reply (admins); rejects with the server's error (a taken shortcut, a bad one). */
  async create(body: CreateSavedReplyRequest): Promise<SavedReplyView> {
    const { reply } = await this.api.createSavedReply(body);
    this.put(reply);
    return reply;
  }

  /** Changes a reply (admins); one deleted meanwhile leaves the list, and the error is thrown. */
  async update(id: string, body: UpdateSavedReplyRequest): Promise<SavedReplyView> {
    try {
      const { reply } = await this.api.updateSavedReply(id, body);
      this.put(reply);
      return reply;
    } catch (error) {
      this.dropIfGone(id, error);
      throw error;
    }
  }

  /** Deletes a reply (admins). */
  async remove(id: string): Promise<void> {
    try {
      await this.api.deleteSavedReply(id);
    } catch (error) {
      this.dropIfGone(id, error);
      throw error;
    }
    this.drop(id);
  }

  private async load(): Promise<void> {
    this.error = '';
    this.changed();
    try {
      this.replies = byShortcut((await this.api.savedReplies()).replies);
      this.loaded = true;
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.loading = undefined;
      this.changed();
    }
  }

  private put(reply: SavedReplyView): void {
    this.replies = byShortcut([...this.replies.filter((r) => r.id !== reply.id), reply]);
    this.changed();
  }

  private dropIfGone(id: string, error: unknown): void {
    if (error instanceof ApiRequestError && error.status === 404) this.drop(id);
  }

  private drop(id: string): void {
    this.replies = this.replies.filter((r) => r.id !== id);
    this.changed();
  }
}
