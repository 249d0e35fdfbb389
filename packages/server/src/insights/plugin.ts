import fp from 'fastify-plugin';
import { CsatService } from './csat.js';
import { InsightsRecorder } from './recorder.js';
import { ReportStore } from './reports.js';
import type { InsightsHooks } from '../conversations/chat-types.js';
import type { Work } from '../db/step.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Visitor satisfaction: settings, rating prompts and ratings. */
    csat: CsatService;
    /** The reports admins read in Insights. */
    reports: ReportStore;
    /** What the chat records for reports in its writes, and its rating prompts (its `insights` port). */
    chatInsights: InsightsHooks;
  }
}

/**
 * Insights: keeps the reports' rollups in the chat's writes (a conversation's start, its flow
 * steps, hand-offs, first replies, resolutions and ratings), asks visitors for ratings, and
 * answers the reports.
 */
export default fp(
  async (app) => {
    // A rollup that fails is reported and never fails the turn it rides on on SQLite (it undoes
    // just the failed statement, the rest of the write commits). On PostgreSQL a failed statement
    // aborts the transaction: the write runs again without its neighbours' failures, and fails.
    const safely = function* (work: Work<void>): Work<void> {
      try {
        yield* work;
      } catch (error) {
        app.log.error({ err: error }, 'an insights rollup could not be recorded');
        if (app.database.dialect !== 'sqlite') throw error;
      }
    };
    const recorder = new InsightsRecorder(
      app.database,
      app.writes,
      (error) => app.log.error({ err: error }, 'a batch of insights counts could not be recorded'),
      safely,
    );
    const csat = new CsatService(app.database, app.writes, recorder, app.outbox, app.bus);
    await csat.load();
    app.externalChanges.onChange(() => csat.load());
    app.decorate('chatInsights', {
      // Guarded by the recorder, where they run statements.
      started: (conversation, path, terminal) => recorder.started(conversation, path, terminal),
      beginFunnel: (state, path) => recorder.beginFunnel(state, path),
      turn: (conversation, changes) => recorder.turn(conversation, changes),
      recorded: (conversation, messages) => safely(recorder.recorded(conversation, messages, Date.now())),
      ratingScale: (companyId) => csat.settings(companyId).scale,
      ratingPrompt: (conversation, after) => csat.ratingPrompt(conversation, after),
      knowRating: (conversation) => csat.rating(conversation.companyId, conversation.id).then(() => undefined),
    } satisfies InsightsHooks);
    // Hand-offs and resolutions are recorded in their own writes, through the outbox.
    app.outbox.listen(
      (event) => {
        if (event.type === 'handoff') return recorder.handedOff(event.conversationId, Date.now());
        if (event.type === 'resolved') return recorder.resolved(event.conversationId, event.by.id, Date.now());
        return undefined;
      },
      (_companyId, type) => type === 'handoff' || type === 'resolved',
    );
    app.decorate('csat', csat);
    app.decorate('reports', new ReportStore(app.database));
  },
  { name: 'insights', dependencies: ['database', 'outbox', 'bus'] },
);
