import type { PendingMessage, StorageLike } from './types.js';

/** What survives a reload: the session, how far the visitor has read, and unsent messages. */
export interface SavedSession {
  session?: string | undefined;
  /** Highest sequence number the visitor has seen with the panel open. */
  read: number;
  outbox: PendingMessage[];
}

function defaultStorage(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage blocked (third-party iframe, privacy mode)
  }
}

/**
 * The visitor's saved session in one storage key per server and site. Reading is always allowed;
 * writing only once `enable()` was called (the visitor opened the chat or the page called the API).
 */
export class SessionStore {
  private readonly storage: StorageLike | null;
  private writable = false;

  constructor(
    readonly key: string,
    storage: StorageLike | null | undefined,
  ) {
    this.storage = storage === undefined ? defaultStorage() : storage;
  }

  /** Reads the saved session, or an empty one. */
  load(): SavedSession {
    try {
      const raw = this.storage?.getItem(this.key);
      const saved = raw ? (JSON.parse(raw) as Partial<SavedSession>) : {};
      return {
        session: typeof saved.session === 'string' ? saved.session : undefined,
        read: typeof saved.read === 'number' ? saved.read : 0,
        outbox: Array.isArray(saved.outbox) ? saved.outbox : [],
      };
    } catch {
      return { read: 0, outbox: [] };
    }
  }

  /** Allows writes from now on. */
  enable(): void {
    this.writable = true;
  }

  save(saved: SavedSession): void {
    if (!this.writable) return;
    try {
      this.storage?.setItem(this.key, JSON.stringify(saved));
    } catch {
      // Full or blocked storage: the conversation still works, it just will not survive a reload.
    }
  }

  clear(): void {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // ignore
    }
  }
}
