import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { UploadImageType } from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareSqliteQuery } from '../db/prepared.js';
import type { UploadRow } from '../db/tables/index.js';
import { newOpaqueId } from '../lib/ids.js';

const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
const URL_PATTERN = /(?:^|\/)uploads\/([A-Za-z0-9_-]{22})$/;

/** The public path of an upload; clients resolve it against the server's origin. */
export function uploadPath(id: string): string {
  return `/uploads/${id}`;
}

/**
 * Uploaded files: bytes under `<dataDir>/uploads/<company>/<id>`, metadata in the database. A file
 * is named by its random id only, never by anything the client sent.
 */
export class UploadStore {
  private readonly insert;
  private readonly byId;

  constructor(
    private readonly root: string,
    db: Kysely<Database>,
    sqlite: SQLite.Database,
    private readonly writes: WriteQueue,
  ) {
    this.insert = prepareSqliteQuery(
      sqlite,
      { id: param<string>(), company: param<string>(), conversation: param<string>(), type: param<UploadImageType>(), size: param<number>(), at: param<string>() },
      (p) =>
        db.insertInto('uploads').values({ id: p.id, company_id: p.company, conversation_id: p.conversation, content_type: p.type, size_bytes: p.size, created_at: p.at }),
    );
    this.byId = prepareSqliteQuery(sqlite, { id: param<string>() }, (p) => db.selectFrom('uploads').selectAll().where('id', '=', p.id));
  }

  /** Stores an image for a conversation and returns its id once both file and row are saved. */
  async save(companyId: string, conversationId: string, bytes: Buffer, contentType: UploadImageType): Promise<string> {
    const id = newOpaqueId();
    const dir = join(this.root, companyId);
    await mkdir(dir, { recursive: true });
    const file = join(dir, id);
    await writeFile(file, bytes, { flag: 'wx' });
    try {
      await this.writes.run(() =>
        this.insert.run({ id, company: companyId, conversation: conversationId, type: contentType, size: bytes.length, at: new Date().toISOString() }),
      );
    } catch (error) {
      await unlink(file).catch(() => undefined);
      throw error;
    }
    return id;
  }

  /** An upload's metadata by id; undefined for unknown or malformed ids. */
  find(id: string): UploadRow | undefined {
    return ID_PATTERN.test(id) ? this.byId.get({ id }) : undefined;
  }

  /** Where an upload's bytes are on disk. */
  filePath(row: UploadRow): string {
    return join(this.root, row.company_id, row.id);
  }

  /**
   * The canonical path of an upload named by `value` (its path or full URL), when it was
   * uploaded in this conversation; undefined otherwise.
   */
  pathInConversation(value: string, conversationId: string): string | undefined {
    let pathname = value;
    try {
      pathname = new URL(value, 'http://x').pathname;
    } catch {
      return undefined;
    }
    const id = URL_PATTERN.exec(pathname)?.[1];
    const row = id ? this.find(id) : undefined;
    return row && row.conversation_id === conversationId ? uploadPath(row.id) : undefined;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    uploads: UploadStore;
  }
}

export default fp(
  async (app) => {
    app.decorate('uploads', new UploadStore(join(app.config.dataDir, 'uploads'), app.db, app.sqlite, app.writes));
  },
  { name: 'uploads', dependencies: ['database'] },
);
