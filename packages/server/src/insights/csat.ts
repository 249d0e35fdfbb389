import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { CsatAskAfter, CsatSettings, RatingScale, RatingView } from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareSqliteQuery } from '../db/prepared.js';
import type { ConversationRatingRow } from '../db/tables/index.js';
import type { LiveConversation, NewMessage } from '../conversations/conversations.js';
import type { Outbox } from '../core/outbox.js';
import type { EventBus } from '../core/bus.js';
import { topics } from '../core/bus.js';
import { Errors } from '../errors.js';
import { timestamp } from '../lib/clock.js';
import type { InsightsRecorder } from './recorder.js';
import { runNow } from '../db/step.js';

/** CSAT is off until an admin turns it on. */
export const DEFAULT_CSAT: CsatSettings = { enabled: false, scale: 'five', ask_after: 'agent' };

const PROMPT = 'How would you rate this conversation?';

function toView(row: ConversationRatingRow): RatingView {
  return { scale: row.scale, score: row.score, comment: row.comment, created_at: row.created_at };
}

/**
 * Visitor satisfaction: each company's settings, the rating prompt a resolution adds, and the
 * ratings themselves (one per conversation: the first stands). A rating is stored with its rollup
 * and its `conversation.rated` webhook event in one write.
 */
export class CsatService {
  private readonly statements;

  constructor(
    db: Kysely<Database>,
    sqlite: SQLite.Database,
    private readonly writes: WriteQueue,
    private readonly recorder: InsightsRecorder,
    private readonly outbox: Outbox,
    private readonly bus: EventBus,
  ) {
    const company = param<string>();
    this.statements = {
      settings: prepareSqliteQuery(sqlite, { company }, (p) => db.selectFrom('csat_settings').selectAll().where('company_id', '=', p.company)),
      saveSettings: prepareSqliteQuery(
        sqlite,
        { company, enabled: param<number>(), scale: param<RatingScale>(), ask_after: param<CsatAskAfter>(), at: param<string>() },
        (p) =>
          db
            .insertInto('csat_settings')
            .values({ company_id: p.company, enabled: p.enabled, scale: p.scale, ask_after: p.ask_after, updated_at: p.at })
            .onConflict((oc) =>
              oc.column('company_id').doUpdateSet((eb) => ({
                enabled: eb.ref('excluded.enabled'),
                scale: eb.ref('excluded.scale'),
                ask_after: eb.ref('excluded.ask_after'),
                updated_at: eb.ref('excluded.updated_at'),
              })),
            ),
      ),
      rating: prepareSqliteQuery(sqlite, { id: param<string>(), company }, (p) =>
        db.selectFrom('conversation_ratings').selectAll().where('conversation_id', '=', p.id).where('company_id', '=', p.company),
      ),
      // The agent who resolved it and when the conversation started come from its facts.
      insert: prepareSqliteQuery(
        sqlite,
        { id: param<string>(), company, scale: param<RatingScale>(), score: param<number>(), comment: param<string | null>(), at: param<string>() },
        (p) =>
          db
            .insertInto('conversation_ratings')
            .orIgnore()
            .columns(['conversation_id', 'company_id', 'scale', 'score', 'comment', 'agent_id', 'created_at', 'conversation_created_ms'])
            .expression(
              db
                .selectFrom('conversation_facts')
                .select([
                  p.id.as('conversation_id'),
                  p.company.as('company_id'),
                  p.scale.as('scale'),
                  p.score.as('score'),
                  p.comment.as('comment'),
                  'resolved_by',
                  p.at.as('created_at'),
                  'created_ms',
                ])
                .where('conversation_id', '=', p.id),
            ),
      ),
    };
  }

  /** The company's settings (the defaults until an admin saves some). */
  settings(companyId: string): CsatSettings {
    const row = this.statements.settings.get({ company: companyId });
    if (!row) return DEFAULT_CSAT;
    return { enabled: row.enabled === 1, scale: row.scale, ask_after: row.ask_after };
  }

  /** Saves the company's settings. */
  async saveSettings(companyId: string, settings: CsatSettings): Promise<CsatSettings> {
    await this.writes.run(() =>
      this.statements.saveSettings.run({ company: companyId, enabled: settings.enabled ? 1 : 0, scale: settings.scale, ask_after: settings.ask_after, at: timestamp() }),
    );
    return this.settings(companyId);
  }

  /**
   * The bot message asking for a rating when a conversation is resolved this way: none when CSAT
   * is off, the company asks only after the other kind of resolution, or the visitor already rated.
   */
  ratingPrompt(conversation: LiveConversation, after: 'agent' | 'bot'): NewMessage[] {
    const settings = this.settings(conversation.companyId);
    if (!settings.enabled || (settings.ask_after !== 'both' && settings.ask_after !== after)) return [];
    if (this.rating(conversation.companyId, conversation.id)) return [];
    return [{ role: 'bot', components: [{ type: 'rating', payload: { scale: settings.scale, prompt: PROMPT, comment: true } }] }];
  }

  /** A conversation's rating, if it has one (undefined for another company's conversation). */
  rating(companyId: string, conversationId: string): RatingView | undefined {
    const row = this.statements.rating.get({ id: conversationId, company: companyId });
    return row ? toView(row) : undefined;
  }

  /**
   * The visitor rates their conversation. The first rating stands: a repeat answers it with
   * `duplicate: true`. A thumbs scale takes only 1 (down) and 5 (up).
   */
  async rate(conversation: LiveConversation, score: number, comment: string | undefined): Promise<{ rating: RatingView; duplicate: boolean }> {
    const existing = this.rating(conversation.companyId, conversation.id);
    if (existing) return { rating: existing, duplicate: true };
    const { scale } = this.settings(conversation.companyId);
    if (scale === 'thumbs' && score !== 1 && score !== 5) throw Errors.validation('A thumbs rating is 5 (up) or 1 (down)');
    const text = comment?.trim() ? comment.trim() : null;
    const createdAt = timestamp();
    const { id: conversationId, companyId } = conversation;
    const stored = await this.writes.run(() => {
      const inserted = this.statements.insert.run({ id: conversationId, company: companyId, scale, score, comment: text, at: createdAt }).changes === 1;
      if (inserted) {
        this.recorder.rated(conversationId, score);
        runNow(this.outbox.add(companyId, 'rated', () => ({ type: 'rated', conversationId, companyId, scale, score, comment: text, createdAt }))); // TODO(pg): yield* inside a generator write
      }
      return inserted;
    });
    const rating = this.rating(companyId, conversationId);
    if (!rating) throw Errors.unavailable('The rating could not be stored');
    if (stored) {
      this.bus.publish(topics.company(companyId), { type: 'rated', conversationId, companyId, scale, score, comment: text, createdAt });
    }
    return { rating, duplicate: !stored };
  }
}
