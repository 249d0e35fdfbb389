import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

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
  stop(): Promise<void>;
}

/** Options of the checkpoint worker. */
export interface CheckpointerOptions {
  /** How often the worker checkpoints. */
  intervalMs: number;
  /** WAL size past which the writer is asked to catch up so the WAL starts over. */
  walLimitBytes: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const flag = new Int32Array(workerData.flag);
const pageSize = db.pragma('page_size', { simple: true });
const limitFrames = Math.max(64, Math.floor(workerData.walLimitBytes / pageSize));
const run = () => {
  try {
    const [pass] = db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.store(flag, 0, pass && pass.log > limitFrames ? 1 : 0);
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
};
const timer = setInterval(run, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); db.close(); } catch {}
  parentPort.postMessage({ stopped: true });
});
`;

/** Starts the checkpoint worker for `file`. `onError` hears about failed checkpoints. */
export function startCheckpointer(file: string, options: CheckpointerOptions, onError: (message: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, flag: flag.buffer, ...options } });
  worker.unref();
  let stopped: (() => void) | undefined;
  worker.on('message', (message: { error?: string; stopped?: boolean }) => {
    if (message.error) onError(message.error);
    if (message.stopped) stopped?.();
  });
  worker.on('error', (error) => onError(String(error)));
  return {
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
