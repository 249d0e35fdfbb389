import { randomBytes, randomInt } from 'node:crypto';

const TICKET_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ticket reference a person can read aloud: `PAR-` and 8 characters without I, L, O or U. */
export function newTicketReference(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += TICKET_ALPHABET[randomInt(TICKET_ALPHABET.length)];
  return `PAR-${code}`;
}

/** An unguessable URL-safe id (128 bits), for links that must not be enumerable. */
export function newOpaqueId(): string {
  return randomBytes(16).toString('base64url');
}
