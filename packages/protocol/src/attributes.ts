import { Type, type Static } from 'typebox';
import { AttributeLimits } from './limits.js';

/*
 * Page attributes: what the host page tells Parley about the visitor's context
 * (`Parley.setAttributes({ plan: 'pro', cart_total: 42 })`). Stored on the conversation, shown to
 * agents, available to flows as `{{attributes.plan}}` and to the AI as context.
 */

/** One attribute value: a string, a finite number, a boolean, or null to remove the key. */
export const AttributeValue = Type.Union([Type.String({ maxLength: AttributeLimits.maxValueChars }), Type.Number(), Type.Boolean(), Type.Null()]);
export type AttributeValue = Static<typeof AttributeValue>;

/** Attributes sent by the page: keys as in `AttributeLimits.keyPattern`; `null` removes a key. */
export const PageAttributes = Type.Record(Type.String({ pattern: AttributeLimits.keyPattern }), AttributeValue, {
  additionalProperties: false,
  maxProperties: AttributeLimits.maxKeys,
});
export type PageAttributes = Static<typeof PageAttributes>;

/** Attributes as stored on a conversation (no nulls). */
export type StoredAttributes = Record<string, string | number | boolean>;
