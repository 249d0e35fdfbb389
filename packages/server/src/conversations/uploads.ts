import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { UploadImageType } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery, prepareSqliteQuery } from '../db/prepared.js';
import type { UploadRow } from '../db/tables/index.js';
import { newOpaqueId } from '../lib/ids.js';
import { UploadBlobs } from './upload-blobs.js';
import type { UploadBody, UploadBytes } from './upload-bytes.js';
import { UploadFiles } from './upload-files.js';

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const URL_PATTERN = /(?:^|\/)uploads\/([A-Za-z0-9_-]{22})$/;
/** Uploads remembered for the flow engine's synchronous look-up on PostgreSQL. */
const KNOWN_UPLOADS = 1000;

/** The public path of an upload; clients resolve it against the server's origin. */
export function uploadPath(id: string): string {
  return `/uploads/${id}`;
}

/**
 * Uploaded files: metadata in the database, bytes where `UploadBytes` keeps them (files under
 * `<dataDir>/uploads/<company>/<id>` on SQLite, the database on PostgreSQL so that every node
 * serves them). An upload is named by its random id only, never by anything the client sent.
 */
export class UploadStore {
  private readonly insert;
  private readonly byId;
  /** SQLite: the same look-up, synchronous, for the flow engine. */
  private readonly byIdNow;
  /** PostgreSQL: uploads saved here or looked up (`prime`), newest last, for the flow engine. */
  private readonly known = new Map<string, UploadRow>();

  constructor(
    private readonly bytes: UploadBytes,
    database: DatabaseHandle,
  ) {
    const { db } = database;
    this.insert = prepareQuery(
      database,
      { id: param<string>(), company: param<string>(), conversation: param<string>(), type: param<UploadImageType>(), size: param<number>(), at: param<string>() },
      (p) =>
        db.insertInto('uploads').values({ id: p.id, company_id: p.company, conversation_id: p.conversation, content_type: p.type, size_bytes: p.size, created_at: p.at }),
    );
    this.byId = prepareQuery(database, { id: param<string>() }, (p) => db.selectFrom('uploads').selectAll().where('id', '=', p.id));
    this.byIdNow =
      database.dialect === 'sqlite'
        ? prepareSqliteQuery(database.sqlite, { id: param<string>() }, (p) => db.selectFrom('uploads').selectAll().where('id', '=', p.id))
        : undefined;
  }

  /** Stores an image for a conversation and returns its id once both bytes and row are saved. */
  async save(companyId: string, conversationId: string, bytes: Buffer, contentType: UploadImageType): Promise<string> {
    const id = newOpaqueId();
    const row: UploadRow = { id, company_id: companyId, conversation_id: conversationId, content_type: contentType, size_bytes: bytes.length, created_at: new Date().toISOString() };
    await this.bytes.save(row, bytes, () =>
      this.insert.run({ id, company: companyId, conversation: conversationId, type: contentType, size: bytes.length, at: row.created_at }),
    );
    if (!this.byIdNow) this.remember(row);
    return id;
  }

  /** An upload's metadata by id; undefined for unknown or malformed ids. */
  async find(id: string): Promise<UploadRow | undefined> {
    return ID_PATTERN.test(id) ? this.byId.get({ id }) : undefined;
  }

  /**
   * Makes the upload `value` names (if any) known to `pathInConversation`, which the flow engine
   * calls synchronously: on PostgreSQL it is looked up here first (another node may have taken it).
   * Returns undefined, with nothing to wait for, on SQLite or when `value` names no upload.
   */
  prime(value: string): Promise<void> | undefined {
    if (this.byIdNow) return undefined;
    const id = uploadIdIn(value);
    if (!id || this.known.has(id)) return undefined;
    return Promise.resolve(this.byId.get({ id })).then((row) => {
      if (row) this.remember(row);
    });
  }

  /** The bytes of an upload `find` gave, to serve; undefined when they are missing. */
  read(row: UploadRow): Promise<UploadBody | undefined> {
    return this.bytes.read(row);
  }

  /** After an erasure has committed: removes what of an upload's bytes outlives its row (its file, on SQLite). */
  async remove(row: UploadRow): Promise<void> {
    this.known.delete(row.id);
    await this.bytes.remove(row);
  }

  /**
   * The canonical path of an upload named by `value` (its path or full URL), when it was
   * uploaded in this conversation; undefined otherwise.
   */
  pathInConversation(value: string, conversationId: string): string | undefined {
    const id = uploadIdIn(value);
    const row = id ? (this.byIdNow ? this.byIdNow.get({ id }) : this.known.get(id)) : undefined;
    return row && row.conversation_id === conversationId ? uploadPath(row.id) : undefined;
  }

  private remember(row: UploadRow): void {
    this.known.delete(row.id);
    this.known.set(row.id, row);
    if (this.known.size > KNOWN_UPLOADS) this.known.delete(this.known.keys().next().value!);
  }
}

/** The id of the upload a path or URL names, if it names one. */
function uploadIdIn(value: string): string | undefined {
  let pathname = value;
  try {
    pathname = new URL(value, 'http://x').pathname;
  } catch {
    return undefined;
  }
  return URL_PATTERN.exec(pathname)?.[1];
}

declare module 'fastify' {
  interface FastifyInstance {
    uploads: UploadStore;
  }
}

export default fp(
  async (app) => {
    const files = new UploadFiles(join(app.config.dataDir, 'uploads'), app.writes);
    const bytes = app.database.dialect === 'postgres' ? new UploadBlobs(app.database, app.writes, files) : files;
    app.decorate('uploads', new UploadStore(bytes, app.database));
  },
  { name: 'uploads', dependencies: ['database'] },
);
