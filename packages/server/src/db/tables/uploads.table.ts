import type { Insertable, Selectable } from 'kysely';
import type { UploadImageType } from '@parley/protocol';

/**
 * An uploaded file. Its bytes are stored by its id, never by a client-chosen name: under the data
 * folder on SQLite, in `upload_blobs` on PostgreSQL.
 */
export interface UploadsTable {
  id: string;
  company_id: string;
  conversation_id: string;
  content_type: UploadImageType;
  size_bytes: number;
  created_at: string;
}
export type UploadRow = Selectable<UploadsTable>;
export type NewUploadRow = Insertable<UploadsTable>;

/** An upload's bytes, kept in the database on PostgreSQL (empty on SQLite, whose files are on disk). */
export interface UploadBlobsTable {
  upload_id: string;
  bytes: Buffer;
}
