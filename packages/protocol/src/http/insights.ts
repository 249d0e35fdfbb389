import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { Limits } from '../limits.js';
import { RatingScale } from '../components.js';

/*
 * Insights: visitor ratings (CSAT) and the reports admins read in `/admin/insights`.
 * docs/insights.md defines every figure.
 */

/** Longest rating comment, in characters. */
export const MAX_RATING_COMMENT_CHARS = 1000;

/** `POST /api/chatbot/rating`: the visitor rates their conversation (1-5; thumbs send 5 or 1). */
export const RatingRequest = Strict({
  chatbot_session: Type.Optional(Type.String({ pattern: Limits.sessionPattern })),
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String({ maxLength: MAX_RATING_COMMENT_CHARS })),
});
export type RatingRequest = Static<typeof RatingRequest>;

/** A conversation's rating as visitors and agents see it. */
export const RatingView = Strict({
  scale: RatingScale,
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
});
export type RatingView = Static<typeof RatingView>;

/** Answer to `POST /api/chatbot/rating`: the stored rating; `duplicate` when it was rated before (the first rating stands). */
export const RatingResponse = Strict({ rating: RatingView, duplicate: Type.Boolean() });
export type RatingResponse = Static<typeof RatingResponse>;

/** Answer to `GET /api/chats/:id/rating`: the conversation's rating, or null. */
export const ChatRatingResponse = Strict({ rating: Type.Union([RatingView, Type.Null()]) });
export type ChatRatingResponse = Static<typeof ChatRatingResponse>;

/** Which resolutions ask for a rating: an agent's, the bot reaching an `end` step, or both. */
export const CsatAskAfter = Type.Union([Type.Literal('agent'), Type.Literal('bot'), Type.Literal('both')]);
export type CsatAskAfter = Static<typeof CsatAskAfter>;

/** A company's CSAT settings (`GET`/`PUT /api/csat/settings`, admins). */
export const CsatSettings = Strict({ enabled: Type.Boolean(), scale: RatingScale, ask_after: CsatAskAfter });
export type CsatSettings = Static<typeof CsatSettings>;

/** A calendar day, `YYYY-MM-DD`. */
export const ReportDay = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/**
 * The period of a report: the days `from` to `to` (both included) in the time zone `tz` (an IANA
 * name such as `Europe/Paris`; UTC when omitted). At most 366 days.
 */
export const ReportQuery = Strict({
  from: ReportDay,
  to: ReportDay,
  tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+\\-/]+$' })),
});
export type ReportQuery = Static<typeof ReportQuery>;

const Count = Type.Integer({ minimum: 0 });
const Ms = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);

/** Median and 90th percentile (nearest rank) of durations in milliseconds; null without data. */
export const DurationStats = Strict({ median: Ms, p90: Ms });
export type DurationStats = Static<typeof DurationStats>;

/** The outcomes of conversations (see docs/insights.md for their exact definitions). */
const OutcomeCounts = {
  conversations: Count,
  bot_only: Count,
  handed_off: Count,
  resolved: Count,
  abandoned: Count,
};

/** `GET /api/reports/overview`: the period's totals. */
export const OverviewReport = Strict({
  ...OutcomeCounts,
  first_response_ms: DurationStats,
  resolution_ms: DurationStats,
  csat: Strict({ average: Type.Union([Type.Number(), Type.Null()]), count: Count }),
});
export type OverviewReport = Static<typeof OverviewReport>;

/** `GET /api/reports/daily`: the outcomes per local day of the period (every day, zeros included). */
export const DailyReport = Strict({ days: Type.Array(Strict({ day: ReportDay, ...OutcomeCounts })) });
export type DailyReport = Static<typeof DailyReport>;

/** One agent's response and resolution times. */
export const AgentTimes = Strict({
  agent_id: Type.String(),
  name: Type.String(),
  first_responses: Count,
  first_response_ms: DurationStats,
  resolutions: Count,
  resolution_ms: DurationStats,
});
export type AgentTimes = Static<typeof AgentTimes>;

/** `GET /api/reports/response-times`: overall and per agent. */
export const ResponseTimesReport = Strict({
  first_response_ms: DurationStats,
  resolution_ms: DurationStats,
  agents: Type.Array(AgentTimes),
});
export type ResponseTimesReport = Static<typeof ResponseTimesReport>;

/** `GET /api/reports/csat`: average, how many of each score, and the latest comments. */
export const CsatReport = Strict({
  average: Type.Union([Type.Number(), Type.Null()]),
  count: Count,
  /** Ratings of 1, 2, 3, 4 and 5 (thumbs down counts as 1, up as 5). */
  distribution: Type.Array(Count, { minItems: 5, maxItems: 5 }),
  comments: Type.Array(
    Strict({ conversation_id: Type.String(), score: Type.Integer(), scale: RatingScale, comment: Type.String(), created_at: Type.String() }),
  ),
});
export type CsatReport = Static<typeof CsatReport>;

/** `GET /api/reports/hours`: conversations started per local weekday (0 Monday .. 6 Sunday) and hour (0..23). */
export const HoursReport = Strict({ cells: Type.Array(Type.Array(Count, { minItems: 24, maxItems: 24 }), { minItems: 7, maxItems: 7 }) });
export type HoursReport = Static<typeof HoursReport>;

/** One step of the bot's funnel: how many conversations reached it and how many stopped there. */
export const FunnelStep = Strict({ step: Type.String(), type: Type.String(), reached: Count, stopped: Count });
export type FunnelStep = Static<typeof FunnelStep>;

/** `GET /api/reports/funnel`: the published flow's steps, in the order they are first reachable from `start`. */
export const FunnelReport = Strict({
  flow: Type.Union([Strict({ id: Type.String(), name: Type.String() }), Type.Null()]),
  conversations: Count,
  steps: Type.Array(FunnelStep),
});
export type FunnelReport = Static<typeof FunnelReport>;
