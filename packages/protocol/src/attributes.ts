import { Type, type Static } from 'typebox';

/*
 * Page attributes: what the host page tells Parley about the visitor's context
 * (`Parley.setAttributes({ plan: 'pro', cart_total: 42 })`). Stored on the conversation, shown to
 * agents, available to flows as `{{attributes.plan}}` and to the AI as context.
 */

/** Size caps of page attributes; the server enforces them, the widget checks early. */
export const AttributeLimits = {
  /** Attributes per conversation. */
  maxKeys: 30,
  /** A key: a letter or `_`, then up to 39 letters, digits or `_`. */
  keyPattern: '^[A-Za-z_][A-Za-z0-9_]{0,39}$',
  /** Longest string value, in characters. */
  maxValueChars: 500,
  /** All attributes of a conversation as JSON, in bytes. */
  maxBytes: 4096,
} as const;

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
