import type { Readable } from 'node:stream';
import type { Step } from '../db/step.js';
import type { UploadRow } from '../db/tables/index.js';

/** An upload's bytes, ready to send: a file's stream (SQLite) or a buffer from the database (PostgreSQL). */
export interface UploadBody {
  /** Its length in bytes, for `Content-Length`. */
  size: number;
  body: Readable | Buffer;
}

/**
 * Where the bytes of uploads are kept: files under the data folder on SQLite (`UploadFiles`, as
 * always), the `upload_blobs` table on PostgreSQL (`UploadBlobs`), where several nodes share one
 * database and no disk. The metadata row is the upload store's either way.
 */
export interface UploadBytes {
  /**
   * Keeps `data` for `row` and commits `record` (the write that inserts the row) with it: once
   * it resolves both are kept; when it rejects, neither is.
   */
  save(row: UploadRow, data: Buffer, record: () => Step<unknown>): Promise<void>;
  /** The bytes of an upload whose row was found; undefined when they are missing. */
  read(row: UploadRow): Promise<UploadBody | undefined>;
  /** After the deletion of the row has committed: removes what of its bytes outlives the row. */
  remove(row: UploadRow): Promise<void>;
}
