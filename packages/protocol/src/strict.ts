import { Type, type TObjectOptions, type TProperties } from 'typebox';

/**
 * An object schema that refuses unknown keys (`additionalProperties: false`).
 * Every object on the wire is strict, so `__proto__`, operator objects and typos are rejected
 * instead of being passed along silently.
 */
export function Strict<P extends TProperties>(properties: P, options: TObjectOptions = {}) {
  return Type.Object(properties, { additionalProperties: false, ...options });
}
