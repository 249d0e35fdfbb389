/**
 * Undo and redo for the builder: snapshots of the flow document (it is small JSON), at most
 * `limit` kept. `push` after each edit; typing in one field within `mergeMs` is one step.
 */
export class History<T> {
  private past: T[] = [];
  private future: T[] = [];
  private lastKey: string | undefined;
  private lastAt = 0;

  constructor(
    private present: T,
    private readonly limit = 100,
    private readonly mergeMs = 800,
  ) {}

  get current(): T {
    return this.present;
  }
  get canUndo(): boolean {
    return this.past.length > 0;
  }
  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** Records a new state. Edits with the same `key` (one field being typed in) close together merge. */
  push(next: T, key?: string, now = Date.now()): void {
    const merge = key !== undefined && key === this.lastKey && now - this.lastAt < this.mergeMs;
    if (!merge) {
      this.past.push(this.present);
      if (this.past.length > this.limit) this.past.shift();
    }
    this.present = next;
    this.future = [];
    this.lastKey = key;
    this.lastAt = now;
  }

  undo(): T {
    const previous = this.past.pop();
    if (previous !== undefined) {
      this.future.push(this.present);
      this.present = previous;
    }
    this.lastKey = undefined;
    return this.present;
  }

  redo(): T {
    const next = this.future.pop();
    if (next !== undefined) {
      this.past.push(this.present);
      this.present = next;
    }
    this.lastKey = undefined;
    return this.present;
  }

  /** Starts over from `state` (a template, an import, the published flow). */
  reset(state: T): void {
    this.past = [];
    this.future = [];
    this.present = state;
    this.lastKey = undefined;
  }
}
