import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { errorMessage } from '../api/errors.js';

/**
 * One async load a screen needs (a list of leads, the company's settings): runs it, keeps its
 * value, whether it is running and its error, and re-renders the host on every change.
 * A newer run supersedes an older one that is still in flight.
 */
export class TaskController<T> implements ReactiveController {
  value: T | undefined;
  error = '';
  running = false;
  private run = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly load: () => Promise<T>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Runs the load; resolves with its value (undefined when it failed or was superseded). */
  async reload(): Promise<T | undefined> {
    const run = ++this.run;
    this.running = true;
    this.error = '';
    this.host.requestUpdate();
    try {
      const value = await this.load();
      if (run !== this.run) return undefined;
      this.value = value;
      return value;
    } catch (error) {
      if (run === this.run) this.error = errorMessage(error);
      return undefined;
    } finally {
      if (run === this.run) {
        this.running = false;
        this.host.requestUpdate();
      }
    }
  }

  /** Replaces the value by hand (after a save answered with the new one). */
  set(value: T): void {
    this.value = value;
    this.host.requestUpdate();
  }
}
