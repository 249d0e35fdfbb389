import type { Insertable, Selectable } from 'kysely';
import type { UploadImageType } from '@parley/protocol';

/** An uploaded file. Stored under the data folder by its id, never by a client-chosen name. */
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
