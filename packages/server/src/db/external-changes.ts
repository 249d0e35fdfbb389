import type SQLite from 'better-sqlite3';
import type pg from 'pg';

/**
 * Where a version of the stored settings is read: it changes whenever another writer committed a
 * change. A number now (SQLite) or later (PostgreSQL); undefined when there is nothing to read.
 */
export type VersionSource = () => number | undefined | Promise<number | undefined>;

/** SQLite: `PRAGMA data_version` changes on a connection only when some other connection committed. */
export function sqliteDataVersion(sqlite: SQLite.Database): VersionSource {
  return () => (sqlite.open ? (sqlite.pragma('data_version', { simple: true }) as number) : undefined);
}

/** PostgreSQL: the counter the settings tables' triggers bump (migration `2026_12_06_0002_settings_version`). */
export function postgresSettingsVersion(pool: Pick<pg.Pool, 'query'>): VersionSource {
  return () =>
    pool
      .query<{ version: number }>({ name: 'parley_settings_version', text: 'SELECT version FROM settings_version WHERE id = 1' })
      .then((result) => result.rows[0]?.version);
}

/**
 * Notices commits made to the settings by another process, such as `parley company add` run
 * beside a running server, or another node on PostgreSQL, so caches kept in memory (companies,
 * flows, AI, identity and CSAT settings, webhook endpoints) can be read again.
 *
 * On SQLite, `PRAGMA data_version` changes on a connection only when some other connection has
 * committed: the server's own writes never trigger a reload. Checking it costs about a
 * microsecond. On PostgreSQL, triggers bump `settings_version` on every change of a settings table
 * (`2026_12_06_0002_settings_version`), whichever node or tool made it; reading it is one small
 * query. Either is polled every `intervalMs` and whenever a cache misses (`checkNow`); on
 * PostgreSQL every HTTP request and WebSocket upgrade also waits for `fresh()`, so a request sent
 * after a change on another node is handled with it.
 */
export class ExternalChanges {
  private version: number | undefined;
  private readonly listeners: Array<() => Promise<void>> = [];
  private readonly timer: NodeJS.Timeout;
  private reloading: Promise<void> | undefined;
  private again = false;
  private checking: Promise<void> | undefined;
  /** The read that starts once `checking` is done, for callers who came after it started. */
  private queued: Promise<void> | undefined;

  constructor(
    private readonly source: VersionSource,
    intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    const first = source();
    if (first instanceof Promise) this.checking = first.then((version) => void (this.version = version), onError).finally(() => (this.checking = undefined));
    else this.version = first;
    this.timer = setInterval(() => void this.checkNow(), intervalMs);
    this.timer.unref();
  }

  /** Calls `reload` (in registration order) after every change another process commits. */
  onChange(reload: () => Promise<void>): void {
    this.listeners.push(reload);
  }

  /**
   * Reloads when another process committed since the last check; resolves once the reload is
   * done (at once when nothing changed). A change seen during a reload runs it once more.
   */
  checkNow(): Promise<void> {
    if (this.checking) return this.checking;
    const version = this.source();
    if (!(version instanceof Promise)) return this.seen(version);
    this.checking = version.then(
      (read) => this.seen(read),
      (error: unknown) => this.onError(error),
    ).finally(() => (this.checking = undefined));
    return this.checking;
  }

  /**
   * A read barrier: resolves once a version read that started after this call has been seen, and
   * the reload it caused (if any) is done. What any node committed before the call is then in
   * memory here. Callers at the same moment share one read: a burst of requests costs at most two.
   */
  fresh(): Promise<void> {
    if (this.queued) return this.queued;
    const running = this.checking;
    if (!running) return this.checkNow();
    this.queued = running.then(() => {
      this.queued = undefined;
      return this.checkNow();
    });
    return this.queued;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private seen(version: number | undefined): Promise<void> {
    // Nothing to read (closed while shutting down): nothing new to report.
    if (version === undefined || version === this.version) return this.reloading ?? Promise.resolve();
    this.version = version;
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = this.reload().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async reload(): Promise<void> {
    do {
      this.again = false;
      for (const listener of this.listeners) {
        try {
          await listener();
        } catch (error) {
          this.onError(error);
        }
      }
    } while (this.again);
  }
}
