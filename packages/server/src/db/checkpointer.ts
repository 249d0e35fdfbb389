import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';
import type { CheckpointWorkerData, CheckpointWorkerMessage } from './checkpoint-worker.js';

/**
 * Runs SQLite WAL checkpoints on a worker thread with its own connection, so copying the WAL back
 * into the database file does not stall the event loop that serves chats. The main connection
 * turns its automatic checkpoints off when this runs.
 *
 * Under a steady stream of writes a checkpoint on another connection never lets the WAL start
 * over (new frames keep arriving behind it), so the WAL would grow without end. So once the WAL
 * passes `walLimitBytes`, the worker raises a flag (shared memory) and the writer, between two of
 * its transactions, runs a checkpoint itself (`catchUp`): it copies only the frames written since
 * the worker's last pass, and its next write starts the WAL from the beginning.
 */
export interface Checkpointer {
  /**
   * When the WAL passed its limit, checkpoints on the writer's own connection so its next write
   * starts the WAL over. Call it between transactions (`GroupCommit.beforeBatch`).
   */
  catchUp(writer: SQLite.Database): void;
  /** Settles once the worker has its connection open and checkpoints (or failed to start). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

/** Options of the checkpoint worker. */
export interface CheckpointerOptions {
  /** How often the worker checkpoints. */
  intervalMs: number;
  /** WAL size past which the writer is asked to catch up so the WAL starts over. */
  walLimitBytes: number;
}

/**
 * The worker's module: `checkpoint-worker.js` beside this file once built; when this file runs as
 * TypeScript (the tests), `checkpoint-worker.ts` through `lib/ts-worker.mjs`, since a worker does
 * not inherit the test runner's transform.
 */
function workerEntry(): { url: URL; tsEntry?: string } {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./checkpoint-worker.js', import.meta.url) };
  return { url: new URL('../lib/ts-worker.mjs', import.meta.url), tsEntry: new URL('./checkpoint-worker.ts', import.meta.url).href };
}

/** Starts the checkpoint worker for `file`. `onError` hears about failed checkpoints. */
export function startCheckpointer(file: string, options: CheckpointerOptions, onError: (message: string) => void): Checkpointer {
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const { url, tsEntry } = workerEntry();
  const workerData: CheckpointWorkerData & { tsEntry?: string } = { file, flag: flag.buffer, ...options, tsEntry };
  const worker = new Worker(url, { workerData });
  worker.unref();
  let stopped: (() => void) | undefined;
  let started!: () => void;
  const ready = new Promise<void>((resolve) => (started = resolve));
  worker.once('exit', () => started());
  worker.on('message', (message: CheckpointWorkerMessage) => {
    if ('ready' in message) started();
    else if ('error' in message) onError(message.error);
    else stopped?.();
  });
  worker.on('error', (error) => onError(String(error)));
  return {
    ready,
    catchUp(writer) {
      if (Atomics.load(flag, 0) !== 1) return;
      try {
        writer.pragma('wal_checkpoint(PASSIVE)');
        Atomics.store(flag, 0, 0);
      } catch (error) {
        // Busy (the worker is mid-checkpoint): the flag stays up and the next flush tries again.
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') onError(String(error));
      }
    },
    async stop() {
      await new Promise<void>((resolve) => {
        stopped = resolve;
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        setTimeout(resolve, 2000).unref();
      });
      await worker.terminate();
    },
  };
}
