/**
 * The three ways a caller proves who it is, as OpenAPI security schemes, and the requirement each
 * route declares in its schema (`security: agentAuth`), so the document says what the code does.
 */

/** The security schemes of the document, by name. */
export const securitySchemes = {
  agentJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'An agent, admin or owner: the token `POST /api/auth/login` returns, as `Authorization: Bearer <token>`.',
  },
  companyApiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: "A company's server-to-server API key (`sk_…`, shown once when made or rotated). `Authorization: Bearer sk_…` works too.",
  },
  visitorSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'parley_session',
    description:
      'A visitor\'s chat session: the `chatbot_session` token `GET /api/chatbot` returns, sent back in the body or query as `chatbot_session`, or in this HttpOnly cookie that the same call sets.',
  },
} as const;

/** A security requirement of one route: any one of its entries suffices; `{}` means none needed. */
export type SecurityRequirement = Array<Partial<Record<keyof typeof securitySchemes, string[]>>>;

/** An agent's JWT (any role; routes for admins or owners say so in their summary). */
export const agentAuth: SecurityRequirement = [{ agentJwt: [] }];
/** The company API key. */
export const apiKeyAuth: SecurityRequirement = [{ companyApiKey: [] }];
/** The visitor's chat session. */
export const visitorAuth: SecurityRequirement = [{ visitorSession: [] }];
/** No credentials (public, or identified by a public site key in the query). */
export const noAuth: SecurityRequirement = [];
