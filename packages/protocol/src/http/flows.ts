import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { Flow } from '../flows.js';
import { FlowProblem } from '../flow-check.js';

/*
 * A company's bot, managed by its admins: the published flow and its versions, one unpublished
 * draft, and "Try it" conversations. docs/flows.md lists the routes.
 */

/**
 * What the API shows in place of a secret header value of an `http` step (stored sealed, never
 * returned). Sending it back keeps the stored secret.
 */
export const SECRET_MASK = '••••••••';

/** `GET /api/company/flow`: the published flow (secret header values masked). */
export const CompanyFlowResponse = Strict({
  flow: Flow,
  version: Type.Integer({ minimum: 1 }),
  published_at: Type.String(),
});
export type CompanyFlowResponse = Static<typeof CompanyFlowResponse>;

/** `PUT /api/company/flow` and `POST .../versions/:n/publish`: the version now published. */
export const PublishFlowResponse = Strict({ version: Type.Integer({ minimum: 1 }) });
export type PublishFlowResponse = Static<typeof PublishFlowResponse>;

/** 400 of a flow that cannot be published: the API error shape plus every problem, pinned to its step. */
export const FlowProblemsError = Strict({
  statusCode: Type.Literal(400),
  code: Type.Literal('validation_failed'),
  error: Type.String(),
  message: Type.String(),
  problems: Type.Array(FlowProblem),
});
export type FlowProblemsError = Static<typeof FlowProblemsError>;

/** One published version of a company's flow. */
export const FlowVersionView = Strict({
  version: Type.Integer({ minimum: 1 }),
  name: Type.String(),
  published_at: Type.String(),
  /** The admin who published it; null for the demo flow or a flow file. */
  published_by: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});
export type FlowVersionView = Static<typeof FlowVersionView>;

/** `GET /api/company/flow/versions`, newest first. */
export const FlowVersionList = Strict({ versions: Type.Array(FlowVersionView) });
export type FlowVersionList = Static<typeof FlowVersionList>;

/** `GET /api/company/flow/versions/:n`. */
export const FlowVersionResponse = Strict({ flow: Flow, version: FlowVersionView });
export type FlowVersionResponse = Static<typeof FlowVersionResponse>;

/** `:n` of the version routes. */
export const FlowVersionParams = Strict({ n: Type.Integer({ minimum: 1 }) });
export type FlowVersionParams = Static<typeof FlowVersionParams>;

/**
 * `GET` / `PUT /api/company/flow/draft`: the builder's unpublished work, kept even while it is
 * invalid, with its current problems. `draft` is null when there is none.
 */
export const FlowDraftResponse = Strict({
  draft: Type.Unknown(),
  updated_at: Type.Union([Type.String(), Type.Null()]),
  problems: Type.Array(FlowProblem),
});
export type FlowDraftResponse = Static<typeof FlowDraftResponse>;

/** `POST /api/company/flow/try`: a test conversation running the given flow (or the draft). */
export const TryFlowRequest = Strict({ flow: Type.Optional(Type.Unknown()), start_at: Type.Optional(Type.String({ maxLength: 64 })) });
export type TryFlowRequest = Static<typeof TryFlowRequest>;

/** The session the dashboard's embedded widget resumes: a test conversation, hidden from the inbox. */
export const TryFlowResponse = Strict({ conversation_id: Type.String(), session_token: Type.String(), site_key: Type.String() });
export type TryFlowResponse = Static<typeof TryFlowResponse>;
