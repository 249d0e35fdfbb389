import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/handle.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { Work } from '../db/step.js';
import type { UploadRow } from '../db/tables/index.js';
import { topics, type EventBus } from '../core/bus.js';
import type { Leader, LeaderJob } from '../core/leader.js';
import type { ConversationStore } from './conversations.js';
import type { UploadStore } from './uploads.js';

/** How often the retention policy looks for expired conversations. */
const RETENTION_INTERVAL_MS = 3_600_000;
/** Conversations deleted per write by the retention policy. */
const RETENTION_BATCH = 100;

/**
 * Deletes conversations for good: when an admin is asked to forget a visitor, and by the retention
 * policy (`retentionDays`). One write removes the conversation with everything that holds what
 * the visitor said: its messages (and their full-text index entries, by trigger), its leads, its
 * sessions and upload records, and the webhook events that carry any of it (with their pending
 * deliveries); on PostgreSQL the uploads' bytes go with their records. After the commit the
 * uploaded files are removed (SQLite), the visitor's sockets are closed
 * (4404: the widget starts afresh) and agents are told (`conversation_deleted`).
 */
export class ConversationEraser {
  private readonly statements;
  private job: LeaderJob | undefined;
  private sweeping: Promise<number> | undefined;

  constructor(
    database: DatabaseHandle,
    private readonly writes: WriteQueue,
    private readonly conversations: ConversationStore,
    private readonly uploads: UploadStore,
    private readonly bus: EventBus,
    private readonly log: FastifyBaseLogger,
  ) {
    const { db } = database;
    const owned = { id: param<string>(), company: param<string>() };
    const id = { id: param<string>() };
    this.statements = {
      owned: prepareQuery(database, owned, (p) => db.selectFrom('conversations').select('id').where('id', '=', p.id).where('company_id', '=', p.company)),
      uploads: prepareQuery(database, id, (p) => db.selectFrom('uploads').selectAll().where('conversation_id', '=', p.id)),
      leads: prepareQuery(database, owned, (p) => db.deleteFrom('leads').where('conversation_id', '=', p.id).where('company_id', '=', p.company)),
      // Every event about the conversation names its id (message, lead, hand-off and resolution payloads).
      webhookEvents: prepareQuery(database, owned, (p) =>
        db.deleteFrom('webhook_events').where('company_id', '=', p.company).where(database.dialect === 'sqlite' ? sql<number>`instr(payload, ${p.id})` : sql<number>`strpos(payload, ${p.id})`, '>', 0),
      ),
      messages: prepareQuery(database, id, (p) => db.deleteFrom('messages').where('conversation_id', '=', p.id)),
      // Upload records and sessions go with it (ON DELETE CASCADE).
      conversation: prepareQuery(database, owned, (p) => db.deleteFrom('conversations').where('id', '=', p.id).where('company_id', '=', p.company)),
      expired: prepareQuery(database, { cutoff: param<string>(), limit: param<number>() }, (p) =>
        db
          .selectFrom('conversations')
          .select(['id', 'company_id'])
          .where('updated_at', '<', p.cutoff)
          .where('status', 'not in', ['waiting', 'agent'])
          .orderBy('updated_at')
          .limit(p.limit),
      ),
    };
  }

  /**
   * Deletes one conversation of the company; false when there is none with this id (or it is
   * another company's). Resolves after the commit.
   */
  async erase(companyId: string, conversationId: string): Promise<boolean> {
    const files = await this.writes.run(() => this.eraseNow(companyId, conversationId));
    if (!files) return false;
    await this.afterErase(companyId, conversationId, files);
    return true;
  }

  /**
   * Deletes the conversations whose last activity is more than `days` old, except those waiting
   * for or with a person; returns how many. Runs in writes of `RETENTION_BATCH`.
   */
  async eraseExpired(days: number, now = Date.now()): Promise<number> {
    const cutoff = new Date(now - days * 86_400_000).toISOString();
    let erased = 0;
    for (;;) {
      const batch = await this.statements.expired.all({ cutoff, limit: RETENTION_BATCH });
      if (!batch.length) return erased;
      const done = await this.writes.run(() => this.eraseBatch(batch));
      for (const { id, company_id: companyId, files } of done) {
        if (!files) continue;
        await this.afterErase(companyId, id, files);
        erased++;
      }
    }
  }

  /**
   * Runs the retention policy now and then every hour (unless `days` is 0), while this node leads
   * (see `core/leader.ts`: always on SQLite, on one node at a time on PostgreSQL).
   */
  startRetention(days: number, leader: Leader): void {
    if (days <= 0) return;
    const sweep = () => {
      if (this.sweeping) return;
      this.sweeping = this.eraseExpired(days)
        .then((n) => {
          if (n) this.log.info({ conversations: n, days }, 'retention: old conversations deleted');
          return n;
        })
        .catch((error: unknown) => {
          this.log.error({ err: error }, 'retention: deleting old conversations failed');
          return 0;
        })
        .finally(() => (this.sweeping = undefined));
    };
    this.job = leader.every(
      RETENTION_INTERVAL_MS,
      async () => {
        sweep();
        await this.sweeping;
      },
      () => {},
    );
  }

  async stop(): Promise<void> {
    await this.job?.stop();
    await this.sweeping;
  }

  /** Inside a write: deletes the rows; returns the conversation's uploads (their files go after the commit). */
  private *eraseNow(companyId: string, conversationId: string): Work<UploadRow[] | undefined> {
    const owned = { id: conversationId, company: companyId };
    if (!(yield* this.statements.owned.get(owned))) return undefined;
    const files = yield* this.statements.uploads.all({ id: conversationId });
    yield* this.statements.leads.run(owned);
    yield* this.statements.webhookEvents.run(owned);
    yield* this.statements.messages.run({ id: conversationId });
    yield* this.statements.conversation.run(owned);
    return files;
  }

  /** Inside a write: erases each conversation of a retention batch. */
  private *eraseBatch(batch: Array<{ id: string; company_id: string }>): Work<Array<{ id: string; company_id: string; files: UploadRow[] | undefined }>> {
    const done = [];
    for (const c of batch) done.push({ ...c, files: yield* this.eraseNow(c.company_id, c.id) });
    return done;
  }

  private async afterErase(companyId: string, conversationId: string, files: UploadRow[]): Promise<void> {
    this.conversations.forget(conversationId);
    const event = { type: 'erased' as const, conversationId, companyId };
    this.bus.publish(topics.conversation(conversationId), event);
    this.bus.publish(topics.company(companyId), event);
    for (const file of files) {
      await this.uploads.remove(file).catch((error: unknown) => {
        this.log.warn({ err: error, upload: file.id }, 'an uploaded file of a deleted conversation could not be removed');
      });
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Deletes conversations on request and by the retention policy. */
    eraser: ConversationEraser;
  }
}

export default fp(
  async (app) => {
    const eraser = new ConversationEraser(app.database, app.writes, app.conversations, app.uploads, app.bus, app.log.child({ module: 'erasure' }));
    app.decorate('eraser', eraser);
    app.addHook('onReady', async () => eraser.startRetention(app.config.retentionDays, app.leader));
    app.addHook('onClose', async () => eraser.stop());
  },
  { name: 'erasure', dependencies: ['database', 'conversations', 'uploads', 'bus', 'leader'] },
);
