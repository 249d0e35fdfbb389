/**
 * Runs work one task at a time per key, and keys in parallel: one lane per conversation, per
 * visitor, per external user. A lane exists only while it has work; once idle its key is
 * forgotten, so a server that sees millions of keys keeps none of them.
 *
 * A task starts at once when its lane is idle (no extra tick on the hot path), otherwise after
 * the tasks queued before it, whether they succeeded or failed: a failure goes to its caller,
 * never to the next task in line.
 *
 * @example
 * const lanes = new KeyedLanes();
 * await lanes.run(conversationId, () => answer(conversation)); // later input waits for it
 */
export class KeyedLanes {
  /** The last queued task of each busy key; it settles (never rejects) when the lane is idle. */
  private readonly tails = new Map<string, Promise<void>>();

  /** Runs `work` after the work queued for `key` before it; resolves or rejects as `work` does. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key);
    const result = previous ? previous.then(work) : start(work);
    const tail: Promise<void> = result.then(forget, forget);
    const lanes = this.tails;
    function forget(): void {
      if (lanes.get(key) === tail) lanes.delete(key);
    }
    this.tails.set(key, tail);
    return result;
  }

  /**
   * Resolves once the work queued for `key` so far is done; undefined when the lane is idle.
   * Work queued meanwhile is not waited for: loop while it returns a promise to wait for it too.
   */
  idle(key: string): Promise<void> | undefined {
    return this.tails.get(key);
  }

  /** How many keys have work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}

/** Calls `work` now; a synchronous throw becomes a rejection, like an async function's. */
function start<T>(work: () => Promise<T>): Promise<T> {
  try {
    return work();
  } catch (error) {
    return Promise.reject(error);
  }
}
