import type { User } from '@parley/protocol';
import { ApiClient } from '../api/http.js';
import { errorMessage } from '../api/errors.js';
import { Notifier } from '../lib/observable.js';

/** Where the session is: checking a saved token, signed out, or signed in. */
export type SessionStatus = 'checking' | 'signed-out' | 'signed-in';

/** The storage the session is kept in (`localStorage` in the browser). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  baseUrl?: string;
  storage?: KeyValueStorage;
  fetch?: typeof fetch;
}

const KEY = 'parley.admin.session';

/**
 * Who is signed in: logs in, keeps the JWT in storage so a reload stays signed in, checks it with
 * `GET /api/auth/verify`, and signs out when the server says the token is no longer good.
 * Owns the {@link ApiClient} every screen uses.
 */
export class SessionStore extends Notifier {
  status: SessionStatus = 'checking';
  user: User | undefined;
  token: string | undefined;
  expiresAt: string | undefined;
  /** Why the last sign-in failed, or why the session ended. */
  error = '';
  readonly api: ApiClient;
  private readonly storage: KeyValueStorage | undefined;
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: SessionStoreOptions = {}) {
    super();
    this.storage = options.storage ?? (typeof localStorage === 'undefined' ? undefined : localStorage);
    this.api = new ApiClient({
      baseUrl: options.baseUrl,
      fetch: options.fetch,
      token: () => this.token,
      onUnauthorized: () => this.end('Your session has ended. Please sign in again.'),
    });
  }

  /** True for admins and the owner: they manage agents and company settings. */
  get isAdmin(): boolean {
    return this.user?.role === 'admin' || this.user?.role === 'owner';
  }

  /** True for the instance's owner only: they add and staff companies. */
  get isOwner(): boolean {
    return this.user?.role === 'owner';
  }

  /** Restores a saved token and checks it with the server. */
  async restore(): Promise<void> {
    const saved = this.read();
    if (!saved) return this.set('signed-out');
    this.token = saved.token;
    try {
      const { user, expires_at } = await this.api.verify();
      this.accept(saved.token, user, expires_at);
    } catch (error) {
      this.token = undefined;
      this.storage?.removeItem(KEY);
      this.error = (error as { status?: number }).status === 401 ? '' : errorMessage(error);
      this.set('signed-out');
    }
  }

  /** Signs in; resolves false (with {@link error} set) when the server refuses. */
  async login(email: string, password: string): Promise<boolean> {
    this.error = '';
    try {
      const { token, user, expires_at } = await this.api.login({ email, password });
      this.accept(token, user, expires_at);
      return true;
    } catch (error) {
      this.error = (error as { status?: number }).status === 401 ? 'Wrong email or password.' : errorMessage(error);
      this.changed();
      return false;
    }
  }

  /** Signs out on this device. */
  logout(): void {
    this.end('');
  }

  /** Ends the session because the server said so (token expired, account disabled), with the reason shown at sign-in. */
  expire(reason: string): void {
    this.end(reason);
  }

  /** Replaces the signed-in user's data (after they change their name). */
  updateUser(user: User): void {
    this.user = user;
    this.changed();
  }

  private accept(token: string, user: User, expiresAt: string): void {
    this.token = token;
    this.user = user;
    this.expiresAt = expiresAt;
    this.storage?.setItem(KEY, JSON.stringify({ token, expires_at: expiresAt }));
    clearTimeout(this.expiryTimer);
    const left = Date.parse(expiresAt) - Date.now();
    if (Number.isFinite(left) && left < 2 ** 31 - 1) {
      this.expiryTimer = setTimeout(() => this.end('Your session has expired. Please sign in again.'), Math.max(0, left));
    }
    this.set('signed-in');
  }

  private end(reason: string): void {
    if (this.status === 'signed-out' && !this.token) return;
    clearTimeout(this.expiryTimer);
    this.storage?.removeItem(KEY);
    this.token = undefined;
    this.user = undefined;
    this.error = reason;
    this.set('signed-out');
  }

  private read(): { token: string; expires_at: string } | undefined {
    try {
      const value = JSON.parse(this.storage?.getItem(KEY) ?? 'null') as { token?: unknown; expires_at?: unknown } | null;
      if (!value || typeof value.token !== 'string') return undefined;
      if (typeof value.expires_at === 'string' && Date.parse(value.expires_at) <= Date.now()) return undefined;
      return { token: value.token, expires_at: String(value.expires_at ?? '') };
    } catch {
      return undefined;
    }
  }

  private set(status: SessionStatus): void {
    this.status = status;
    this.changed();
  }
}
