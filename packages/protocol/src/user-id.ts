import { Type } from 'typebox';

/**
 * A user's id in the caller's own system, as a string or a whole number: systems that number
 * their users send `1`, others send `"cust-42"`. Both name the same user when they read the same
 * (`1` and `"1"` are one user); the server keeps the string form (`userIdString`).
 *
 * @example Strict({ user_id: UserId(128) }) // accepts {"user_id":1} and {"user_id":"1"}
 */
export function UserId(maxLength: number) {
  return Type.Union([
    Type.String({ minLength: 1, maxLength }),
    Type.Integer({ minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }),
  ]);
}

/** The one form a user id is stored and compared in: `1` becomes `"1"`, a string stays as it is. */
export function userIdString(id: string | number): string {
  return typeof id === 'number' ? String(id) : id;
}
