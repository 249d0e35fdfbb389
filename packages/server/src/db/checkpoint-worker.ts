/**
 * The checkpoint worker's thread (started by `startCheckpointer` in `checkpointer.ts`): its own
 * connection to the database file runs a PASSIVE WAL checkpoint every `intervalMs`, and raises the
 * shared flag when the WAL is still longer than the limit, so the writer catches up itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** What `startCheckpointer` hands the worker. */
export interface CheckpointWorkerData {
  file: string;
  intervalMs: number;
  walLimitBytes: number;
  /** One Int32: 1 while the writer should checkpoint on its own connection. */
  flag: SharedArrayBuffer;
}

/** Messages the worker posts back: its connection is open, a checkpoint failed, or it closed. */
export type CheckpointWorkerMessage = { ready: true } | { error: string } | { stopped: true };

/** One row of `PRAGMA wal_checkpoint`: `log` is the WAL's length in frames. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const port = parentPort;
if (!port) throw new Error('checkpoint-worker.js runs on a worker thread, started by startCheckpointer');
const data = workerData as CheckpointWorkerData;
const post = (message: CheckpointWorkerMessage) => port.postMessage(message);

const db = new Database(data.file);
db.pragma('busy_timeout = 1000');
const flag = new Int32Array(data.flag);
const pageSize = db.pragma('page_size', { simple: true }) as number;
const limitFrames = Math.max(64, Math.floor(data.walLimitBytes / pageSize));

function checkpoint(): void {
  try {
    const [pass] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
    Atomics.store(flag, 0, pass && pass.log > limitFrames ? 1 : 0);
  } catch (error) {
    post({ error: String(error) });
  }
}

const timer = setInterval(checkpoint, data.intervalMs);
post({ ready: true });
port.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    db.close();
  } catch {
    // Closing anyway: the main connection checkpoints on its own close.
  }
  post({ stopped: true });
});
