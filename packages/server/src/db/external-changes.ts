import type SQLite from 'better-sqlite3';

/**
 * Notices commits made to the database by another process, such as `parley company add` run
 * beside a running server, so caches kept in memory (companies, flows) can be read again.
 *
 * SQLite's `PRAGMA data_version` changes on a connection only when some other connection has
 * committed: the server's own writes never trigger a reload. Checking it costs about a
 * microsecond, so it is polled every `intervalMs` and whenever a cache misses (`checkNow`).
 * Given no SQLite connection (the server stores in PostgreSQL), it never reports a change.
 */
export class ExternalChanges {
  private version: number | undefined;
  private readonly listeners: Array<() => Promise<void>> = [];
  private readonly timer: NodeJS.Timeout;
  private reloading: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly sqlite: SQLite.Database | undefined,
    intervalMs: number,
    private readonly onError: (error: unknown) => void,
  ) {
    this.version = this.read();
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
    const version = this.read();
    if (version === this.version) return this.reloading ?? Promise.resolve();
    this.version = version;
    if (this.reloading) {
      this.again = true;
      return this.reloading;
    }
    this.reloading = this.reload().finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  stop(): void {
    clearInterval(this.timer);
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

  private read(): number {
    // A closed connection (shutting down) has nothing new to report.
    if (!this.sqlite?.open) return this.version ?? 0;
    return this.sqlite.pragma('data_version', { simple: true }) as number;
  }
}
