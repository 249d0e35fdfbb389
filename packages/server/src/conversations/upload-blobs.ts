import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { Step, Work } from '../db/step.js';
import type { UploadRow } from '../db/tables/index.js';
import type { WriteQueue } from '../db/write-queue.js';
import type { UploadBody, UploadBytes } from './upload-bytes.js';
import type { UploadFiles } from './upload-files.js';

/**
 * Uploads' bytes in the `upload_blobs` table (PostgreSQL): every node reads what any node saved,
 * so an image taken in by one node behind the load balancer is served by all. The bytes are
 * inserted in the same transaction as the upload's row and go with it: deleting the row (or its
 * conversation) removes them by `ON DELETE CASCADE`, so an erasure commits their removal too.
 *
 * Images taken in before the bytes moved to the database are files in this node's data folder:
 * they are still served (by this node only) and unlinked on erasure, from `legacy`.
 */
export class UploadBlobs implements UploadBytes {
  private readonly insert;
  private readonly byId;

  constructor(
    database: DatabaseHandle,
    private readonly writes: WriteQueue,
    private readonly legacy: UploadFiles,
  ) {
    const { db } = database;
    this.insert = prepareQuery(database, { id: param<string>(), bytes: param<Buffer>() }, (p) =>
      db.insertInto('upload_blobs').values({ upload_id: p.id, bytes: p.bytes }),
    );
    this.byId = prepareQuery(database, { id: param<string>() }, (p) => db.selectFrom('upload_blobs').select('bytes').where('upload_id', '=', p.id));
  }

  save(row: UploadRow, data: Buffer, record: () => Step<unknown>): Promise<void> {
    return this.writes.run(() => this.saveWork(row.id, data, record));
  }

  async read(row: UploadRow): Promise<UploadBody | undefined> {
    const found = await this.byId.get({ id: row.id });
    return found ? { size: found.bytes.length, body: found.bytes } : this.legacy.read(row);
  }

  /** The bytes went with the row, in its transaction; an older upload's file is unlinked. */
  remove(row: UploadRow): Promise<void> {
    return this.legacy.remove(row);
  }

  private *saveWork(id: string, data: Buffer, record: () => Step<unknown>): Work<void> {
    yield* record();
    yield* this.insert.run({ id, bytes: data });
  }
}
