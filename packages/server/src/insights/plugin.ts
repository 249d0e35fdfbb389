import fp from 'fastify-plugin';
import { CsatService } from './csat.js';
import { InsightsRecorder } from './recorder.js';
import { ReportStore } from './reports.js';
import type { InsightsHooks } from '../conversations/chat-types.js';

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
    const recorder = new InsightsRecorder(app.db, app.sqlite, app.writes);
    const csat = new CsatService(app.db, app.sqlite, app.writes, recorder, app.outbox, app.bus);
    // A rollup that fails is reported and never fails the turn it rides on (SQLite undoes just
    // the failed statement, the rest of the write commits).
    const safely = (work: () => void) => {
      try {
        work();
      } catch (error) {
        app.log.error({ err: error }, 'an insights rollup could not be recorded');
      }
    };
    app.decorate('chatInsights', {
      started: (conversation, path, terminal) => safely(() => recorder.started(conversation, path, terminal)),
      turn: (conversation, path, terminal) => safely(() => recorder.turn(conversation, path, terminal)),
      recorded: (conversation, messages) => safely(() => recorder.recorded(conversation, messages, Date.now())),
      ratingScale: (companyId) => csat.settings(companyId).scale,
      ratingPrompt: (conversation, after) => csat.ratingPrompt(conversation, after),
    } satisfies InsightsHooks);
    // Hand-offs and resolutions are recorded in their own writes, through the outbox.
    app.outbox.listen(
      (event) => {
        if (event.type === 'handoff') recorder.handedOff(event.conversationId, Date.now());
        else if (event.type === 'resolved') recorder.resolved(event.conversationId, event.by.id, Date.now());
      },
      (_companyId, type) => type === 'handoff' || type === 'resolved',
    );
    app.decorate('csat', csat);
    app.decorate('reports', new ReportStore(app.db, app.sqlite));
  },
  { name: 'insights', dependencies: ['database', 'outbox', 'bus'] },
);
