import { randomBytes, randomFillSync, randomInt } from 'node:crypto';

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

/** Random bytes drawn ahead, 10 per id. */
const POOL_BYTES = 10 * 512;
const pool = Buffer.alloc(POOL_BYTES);
let used = POOL_BYTES;

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A new UUID version 7 (RFC 9562): the current time in milliseconds, then 74 random bits. Ids
 * made one after the other sort together, so rows keyed by them are inserted at the end of their
 * B-tree (a page or two a batch) instead of all over it; 74 random bits keep an id as hard to guess
 * as a version 4 UUID's 122 are, for any use here (none is a secret: session tokens are).
 */
export function timeOrderedId(now = Date.now()): string {
  if (used + 10 > POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const r = used;
  used += 10;
  const time = now.toString(16).padStart(12, '0');
  return (
    `${time.slice(0, 8)}-${time.slice(8, 12)}-7${HEX[pool[r]!]![1]}${HEX[pool[r + 1]!]}-` +
    `${HEX[(pool[r + 2]! & 0x3f) | 0x80]}${HEX[pool[r + 3]!]}-` +
    `${HEX[pool[r + 4]!]}${HEX[pool[r + 5]!]}${HEX[pool[r + 6]!]}${HEX[pool[r + 7]!]}${HEX[pool[r + 8]!]}${HEX[pool[r + 9]!]}`
  );
}
