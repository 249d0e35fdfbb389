import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';

/** `GET /health`: answered only after the database answered a query. */
export const HealthResponse = Strict({ status: Type.Literal('ok') });
export type HealthResponse = Static<typeof HealthResponse>;
