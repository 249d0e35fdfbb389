import { createReadStream } from 'node:fs';
import { mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Step } from '../db/step.js';
import type { UploadRow } from '../db/tables/index.js';
import type { WriteQueue } from '../db/write-queue.js';
import type { UploadBody, UploadBytes } from './upload-bytes.js';

/**
 * Uploads' bytes as files, `<root>/<company>/<id>` (SQLite): written before the row is committed
 * and removed again when the commit fails, streamed when served, unlinked after an erasure.
 */
export class UploadFiles implements UploadBytes {
  constructor(
    private readonly root: string,
    private readonly writes: WriteQueue,
  ) {}

  async save(row: UploadRow, data: Buffer, record: () => Step<unknown>): Promise<void> {
    const dir = join(this.root, row.company_id);
    await mkdir(dir, { recursive: true });
    const file = join(dir, row.id);
    await writeFile(file, data, { flag: 'wx' });
    try {
      await this.writes.run(record);
    } catch (error) {
      await unlink(file).catch(() => undefined);
      throw error;
    }
  }

  async read(row: UploadRow): Promise<UploadBody | undefined> {
    const file = this.path(row);
    const size = await stat(file).then((s) => s.size, () => undefined);
    return size === undefined ? undefined : { size, body: createReadStream(file) };
  }

  /** Unlinks the file; one already gone is no error. */
  async remove(row: UploadRow): Promise<void> {
    await unlink(this.path(row)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** Where an upload's file is: in its company's folder, by its id. */
  path(row: UploadRow): string {
    return join(this.root, row.company_id, row.id);
  }
}
