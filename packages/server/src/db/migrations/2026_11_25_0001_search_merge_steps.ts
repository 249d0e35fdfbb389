import { sql, type Kysely } from 'kysely';

/**
 * FTS5 merges its segments itself by default ("automerge"), in one go when a level fills up: with
 * the index growing by a batch five times a second, one batch in a few then took 10 to 20 ms of
 * the event loop, and more as the index grows. Automatic merging is turned off here; the search
 * index plugin runs a small merge step (at most 32 pages) after every batch instead, which keeps
 * the index as compact at the same cost per message, without the pauses.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`INSERT INTO messages_fts (messages_fts, rank) VALUES ('automerge', 4)`.execute(db);
}
