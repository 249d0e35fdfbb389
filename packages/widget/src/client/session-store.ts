import type { PendingMessage, StorageLike } from './types.js';

/** What survives a reload: the session, how far the visitor has read, and unsent messages. */
export interface SavedSession {
  session?: string | undefined;
  /** Highest sequence number the visitor has seen with the panel open. */
  read: number;
  outbox: PendingMessage[];
}

/**
 * An outbox entry read back from storage, or undefined when it is not one. Entries saved before
 * the outbox held `VisitorInput`s (`{ kind: 'message', value }`, a form's id in `value`) are read
 * in today's shape, so a visitor who reloads onto a new widget loses nothing they sent.
 */
export function savedPending(raw: unknown): PendingMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const entry = raw as Record<string, unknown>;
  if (typeof entry.id !== 'string' || !Array.isArray(entry.shown)) return undefined;
  const delivery = {
    id: entry.id,
    shown: entry.shown as PendingMessage['shown'],
    state: entry.state === 'failed' ? ('failed' as const) : ('queued' as const),
    ...(typeof entry.error === 'string' ? { error: entry.error } : {}),
  };
  const text = typeof entry.text === 'string' ? entry.text : entry.value;
  const values = entry.values && typeof entry.values === 'object' ? (entry.values as Record<string, string>) : undefined;
  switch (entry.kind) {
    case 'text':
    case 'message':
      return typeof text === 'string' ? { kind: 'text', text, ...delivery } : undefined;
    case 'action':
      return typeof entry.value === 'string' ? { kind: 'action', value: entry.value, ...delivery } : undefined;
    case 'form': {
      const form = typeof entry.form === 'string' ? entry.form : entry.value;
      return typeof form === 'string' && values ? { kind: 'form', form, values, ...delivery } : undefined;
    }
    case 'handoff':
      return { kind: 'handoff', ...delivery };
    default:
      return undefined;
  }
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
        outbox: Array.isArray(saved.outbox) ? saved.outbox.flatMap((raw: unknown) => savedPending(raw) ?? []) : [],
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
