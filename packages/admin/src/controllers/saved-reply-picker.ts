import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SavedReplyView } from '@parley/protocol';
import { matchSavedReplies, savedReplyQuery } from '../lib/saved-reply-search.js';
import type { SavedRepliesStore } from '../store/saved-replies-store.js';

/**
 * The saved-reply list of a reply box: follows the draft, offers the replies that fit when it is
 * `/` and a shortcut (loading them the first time), and handles the list's keys: ↑/↓ move,
 * Enter or Tab pick, Esc closes until the draft changes. Picking hands the reply to `pick`.
 * While the list is closed it handles no key at all, so the box's own keys work as before.
 */
export class SavedReplyPicker implements ReactiveController {
  /** The option chosen with the arrows, as an index into {@link options}. */
  active = 0;
  private store: SavedRepliesStore | undefined;
  private stop: (() => void) | undefined;
  private query: string | undefined;
  private dismissed = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly pick: (reply: SavedReplyView) => void,
  ) {
    host.addController(this);
  }

  /** Uses another store (or none: the list never opens). */
  use(store: SavedRepliesStore | undefined): void {
    if (store === this.store) return;
    this.unwatch();
    this.store = store;
    this.watch();
  }

  hostConnected(): void {
    this.watch();
  }

  hostDisconnected(): void {
    this.unwatch();
  }

  /** Follows the draft: a new query chooses the first option again and undoes Esc. */
  follow(draft: string): void {
    const query = savedReplyQuery(draft);
    if (query === this.query) return;
    this.query = query;
    this.active = 0;
    this.dismissed = false;
    if (query !== undefined) void this.store?.ensureLoaded();
  }

  /** The replies offered now; empty while the list is closed. */
  get options(): SavedReplyView[] {
    if (this.query === undefined || this.dismissed || !this.store) return [];
    return matchSavedReplies(this.store.replies, this.query);
  }

  /** The chosen option, kept within the list when it shrinks. */
  get chosen(): SavedReplyView | undefined {
    const options = this.options;
    return options[Math.min(this.active, options.length - 1)];
  }

  /** Handles a key of the box; true when it was the open list's (the caller does nothing more). */
  keydown(event: KeyboardEvent): boolean {
    const options = this.options;
    if (!options.length || event.isComposing || event.altKey || event.ctrlKey || event.metaKey) return false;
    const at = Math.min(this.active, options.length - 1);
    switch (event.key) {
      case 'ArrowDown':
        this.active = (at + 1) % options.length;
        break;
      case 'ArrowUp':
        this.active = (at - 1 + options.length) % options.length;
        break;
      case 'Enter':
      case 'Tab':
        if (event.shiftKey) return false;
        this.choose(options[at]!);
        break;
      case 'Escape':
        this.dismissed = true;
        break;
      default:
        return false;
    }
    event.preventDefault();
    this.host.requestUpdate();
    return true;
  }

  /** Picks a reply (a click on an option); the list stays closed for the text it puts in the box. */
  choose(reply: SavedReplyView): void {
    this.query = savedReplyQuery(reply.text);
    this.dismissed = true;
    this.pick(reply);
  }

  private watch(): void {
    if (!this.stop && this.store) this.stop = this.store.subscribe(() => this.host.requestUpdate());
  }

  private unwatch(): void {
    this.stop?.();
    this.stop = undefined;
  }
}
