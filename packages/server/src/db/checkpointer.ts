import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Runs SQLite WAL checkpoints on a worker thread with its own connection, so copying the WAL back
 * into the database file never stalls the event loop that serves chats. The main connection turns
 * its automatic checkpoints off when this runs.
 */
export interface Checkpointer {
  stop(): Promise<void>;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
let timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage({ error: String(error) }); }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try { db.pragma('wal_checkpoint(PASSIVE)'); db.close(); } catch {}
  parentPort.postMessage({ stopped: true });
});
`;

/** Starts the checkpoint worker for `file`. `onError` hears about failed checkpoints. */
export function startCheckpointer(file: string, intervalMs: number, onError: (message: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, intervalMs } });
  worker.unref();
  let stopped: (() => void) | undefined;
  worker.on('message', (message: { error?: string; stopped?: boolean }) => {
    if (message.error) onError(message.error);
    if (message.stopped) stopped?.();
  });
  worker.on('error', (error) => onError(String(error)));
  return {
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
