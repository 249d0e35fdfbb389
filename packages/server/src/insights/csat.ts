import type { CsatAskAfter, CsatSettings, RatingScale, RatingView } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { ConversationRatingRow } from '../db/tables/index.js';
import type { LiveConversation, NewMessage } from '../conversations/conversations.js';
import type { Outbox } from '../core/outbox.js';
import type { EventBus } from '../core/bus.js';
import { topics } from '../core/bus.js';
import { Errors } from '../errors.js';
import { timestamp } from '../lib/clock.js';
import type { InsightsRecorder } from './recorder.js';
import { perform, runNow, type Work } from '../db/step.js';

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
  /** Every company's saved settings, read at start and kept on save (asked on every resolution). */
  private readonly saved = new Map<string, CsatSettings>();
  /**
   * On PostgreSQL, conversations known to be rated (a resolution asks synchronously whether to
   * prompt): those rated or looked up here lately. SQLite answers from the database at once.
   */
  private readonly ratedLately = new Set<string>();

  constructor(
    private readonly database: DatabaseHandle,
    private readonly writes: WriteQueue,
    private readonly recorder: InsightsRecorder,
    private readonly outbox: Outbox,
    private readonly bus: EventBus,
  ) {
    const { db } = database;
    const company = param<string>();
    this.statements = {
      all: prepareQuery(database, {}, () => db.selectFrom('csat_settings').selectAll()),
      saveSettings: prepareQuery(
        database,
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
      rating: prepareQuery(database, { id: param<string>(), company }, (p) =>
        db.selectFrom('conversation_ratings').selectAll().where('conversation_id', '=', p.id).where('company_id', '=', p.company),
      ),
      // The agent who resolved it and when the conversation started come from its facts.
      insert: prepareQuery(
        database,
        { id: param<string>(), company, scale: param<RatingScale>(), score: param<number>(), comment: param<string | null>(), at: param<string>() },
        (p) =>
          db
            .insertInto('conversation_ratings')
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
            )
            .onConflict((oc) => oc.doNothing()),
      ),
    };
  }

  /** Reads every company's saved settings (once, at start). */
  async load(): Promise<void> {
    for (const row of await this.statements.all.all({})) {
      this.saved.set(row.company_id, { enabled: row.enabled === 1, scale: row.scale, ask_after: row.ask_after });
    }
  }

  /** The company's settings (the defaults until an admin saves some). */
  settings(companyId: string): CsatSettings {
    return this.saved.get(companyId) ?? DEFAULT_CSAT;
  }

  /** Saves the company's settings. */
  async saveSettings(companyId: string, settings: CsatSettings): Promise<CsatSettings> {
    const saved: CsatSettings = { enabled: settings.enabled, scale: settings.scale, ask_after: settings.ask_after };
    await this.writes.run(() =>
      this.statements.saveSettings.run({ company: companyId, enabled: saved.enabled ? 1 : 0, scale: saved.scale, ask_after: saved.ask_after, at: timestamp() }),
    );
    this.saved.set(companyId, saved);
    return saved;
  }

  /**
   * The bot message asking for a rating when a conversation is resolved this way: none when CSAT
   * is off, the company asks only after the other kind of resolution, or the visitor already rated.
   */
  ratingPrompt(conversation: LiveConversation, after: 'agent' | 'bot'): NewMessage[] {
    const settings = this.settings(conversation.companyId);
    if (!settings.enabled || (settings.ask_after !== 'both' && settings.ask_after !== after)) return [];
    if (this.ratedNow(conversation.companyId, conversation.id)) return [];
    return [{ role: 'bot', components: [{ type: 'rating', payload: { scale: settings.scale, prompt: PROMPT, comment: true } }] }];
  }

  /** A conversation's rating, if it has one (undefined for another company's conversation). */
  async rating(companyId: string, conversationId: string): Promise<RatingView | undefined> {
    const row = await this.statements.rating.get({ id: conversationId, company: companyId });
    if (row) this.remember(conversationId);
    return row ? toView(row) : undefined;
  }

  /** Whether the conversation is rated, answered without waiting (see `ratedLately`). */
  private ratedNow(companyId: string, conversationId: string): boolean {
    if (this.database.dialect === 'sqlite') return runNow(this.statements.rating.get({ id: conversationId, company: companyId })) !== undefined;
    return this.ratedLately.has(conversationId);
  }

  private remember(conversationId: string): void {
    this.ratedLately.add(conversationId);
    if (this.ratedLately.size > 10_000) this.ratedLately.delete(this.ratedLately.values().next().value!);
  }

  /**
   * The visitor rates their conversation. The first rating stands: a repeat answers it with
   * `duplicate: true`. A thumbs scale takes only 1 (down) and 5 (up).
   */
  async rate(conversation: LiveConversation, score: number, comment: string | undefined): Promise<{ rating: RatingView; duplicate: boolean }> {
    const existing = await this.rating(conversation.companyId, conversation.id);
    if (existing) return { rating: existing, duplicate: true };
    const { scale } = this.settings(conversation.companyId);
    if (scale === 'thumbs' && score !== 1 && score !== 5) throw Errors.validation('A thumbs rating is 5 (up) or 1 (down)');
    const text = comment?.trim() ? comment.trim() : null;
    const createdAt = timestamp();
    const { id: conversationId, companyId } = conversation;
    const { statements, recorder, outbox } = this;
    const stored = await this.writes.run(function* (): Work<boolean> {
      const inserted = (yield* statements.insert.run({ id: conversationId, company: companyId, scale, score, comment: text, at: createdAt })).changes === 1;
      if (inserted) {
        yield* recorder.rated(conversationId, score);
        yield* perform(outbox.add(companyId, 'rated', () => ({ type: 'rated', conversationId, companyId, scale, score, comment: text, createdAt })));
      }
      return inserted;
    }, { lock: conversationId });
    const rating = await this.rating(companyId, conversationId);
    if (!rating) throw Errors.unavailable('The rating could not be stored');
    if (stored) {
      this.bus.publish(topics.company(companyId), { type: 'rated', conversationId, companyId, scale, score, comment: text, createdAt });
    }
    return { rating, duplicate: !stored };
  }
}
