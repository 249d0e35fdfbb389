import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import type { DrillVisitor } from './visitor.js';

/** The verdict of a drill: every count must be 0 and `integrity` must be `ok`. */
export interface DeliveryVerdict {
  visitors: number;
  /** Messages acknowledged to the clients. */
  acknowledged: number;
  /** Acknowledged, but not in the database (or under another seq). */
  acknowledgedButMissing: number;
  /** A client id stored twice in one conversation, or a visitor message answered twice. */
  duplicated: number;
  /** Conversations whose seqs are not exactly 1..last_seq, in order. */
  seqProblems: number;
  /** Visitor messages stored without their reply right after them. */
  unanswered: number;
  /** Seqs where the client's transcript and the database disagree. */
  transcriptMismatches: number;
  /** Messages sent and never acknowledged by the end. */
  neverAcknowledged: number;
  /** Client-side protocol problems (ack mismatches, conflicting frames, lost sessions, odd errors). */
  clientProblems: number;
  integrity: string;
  details: string[];
}

/** The numbers that must be zero for a drill to pass. */
export function verdictFailures(verdict: DeliveryVerdict): string[] {
  const failures: string[] = [];
  for (const key of [
    'acknowledgedButMissing',
    'duplicated',
    'seqProblems',
    'unanswered',
    'transcriptMismatches',
    'neverAcknowledged',
    'clientProblems',
  ] as const) {
    if (verdict[key] !== 0) failures.push(`${key} = ${verdict[key]}`);
  }
  if (verdict.integrity !== 'ok') failures.push(`integrity_check = ${verdict.integrity}`);
  if (verdict.acknowledged === 0) failures.push('nothing was acknowledged');
  return failures;
}

/** A stored message as the checks read it, from either database. */
export interface StoredMessage {
  seq: number;
  role: string;
  client_id: string | null;
  components: string;
}

/** A conversation as stored: its messages in seq order and its `last_seq`. */
export interface StoredConversation {
  rows: StoredMessage[];
  lastSeq: number | undefined;
}

/**
 * Compares every visitor's transcript with the SQLite database in `dataDir` (the server must be
 * stopped or at least idle): see `judgeDelivery`.
 */
export function checkDelivery(dataDir: string, visitors: DrillVisitor[]): DeliveryVerdict {
  const db = new SQLite(join(dataDir, 'parley.sqlite'), { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check', { simple: true }) as string) ?? 'no answer';
    const messages = db.prepare<[string], StoredMessage>('SELECT seq, role, client_id, components FROM messages WHERE conversation_id = ? ORDER BY seq, id');
    const lastSeq = db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM conversations WHERE id = ?');
    return judgeDelivery(visitors, (id) => ({ rows: messages.all(id), lastSeq: lastSeq.get(id)?.last_seq }), integrity);
  } finally {
    db.close();
  }
}

/**
 * Compares every visitor's transcript with its conversation as stored (`storedOf`, by conversation
 * id). The conversation is expected to follow the bench flow: a greeting, then every visitor
 * message followed by exactly one bot reply. `integrity` is the database's own verdict (`ok`).
 */
export function judgeDelivery(visitors: DrillVisitor[], storedOf: (conversationId: string) => StoredConversation, integrity: string): DeliveryVerdict {
  const details: string[] = [];
  const note = (line: string) => details.length < 50 && details.push(line);
  const verdict: DeliveryVerdict = {
    visitors: visitors.length,
    acknowledged: 0,
    acknowledgedButMissing: 0,
    duplicated: 0,
    seqProblems: 0,
    unanswered: 0,
    transcriptMismatches: 0,
    neverAcknowledged: 0,
    clientProblems: 0,
    integrity,
    details,
  };
  for (const visitor of visitors) {
    const p = visitor.problems;
    const clientProblems = p.ackMismatches + p.conflictingFrames + p.lostSessions + p.unexpectedErrors.length + p.outOfOrder;
    if (clientProblems) note(`${visitor.name}: client problems ${JSON.stringify(p)}`);
    verdict.clientProblems += clientProblems;
    verdict.neverAcknowledged += visitor.unacked.size;
    verdict.acknowledged += visitor.acked.size;
    if (!visitor.conversationId) {
      if (visitor.acked.size) note(`${visitor.name}: acknowledged messages but no conversation`);
      continue;
    }
    const { rows, lastSeq } = storedOf(visitor.conversationId);
    const bySeq = new Map(rows.map((r) => [r.seq, r]));
    const byClientId = new Map<string, StoredMessage[]>();
    for (const row of rows) if (row.client_id) byClientId.set(row.client_id, [...(byClientId.get(row.client_id) ?? []), row]);

    // Dense and ordered: 1..N, nothing twice, and the conversation's last_seq says N.
    const dense = rows.every((r, i) => r.seq === i + 1);
    if (!dense || lastSeq !== rows.length) {
      verdict.seqProblems++;
      note(`${visitor.name}: seqs ${rows.map((r) => r.seq).join(',').slice(0, 200)} with last_seq ${lastSeq}`);
    }
    for (const [id, copies] of byClientId) {
      if (copies.length > 1) {
        verdict.duplicated += copies.length - 1;
        note(`${visitor.name}: ${id} stored ${copies.length} times`);
      }
      if (!visitor.generated.has(id)) note(`${visitor.name}: stored client id ${id} was never sent`);
    }
    // Every visitor message answered exactly once: bot, then (user, bot)*.
    rows.forEach((row, i) => {
      if (row.role !== 'user') {
        if (i > 0 && rows[i - 1]!.role !== 'user') {
          verdict.duplicated++;
          note(`${visitor.name}: seq ${row.seq} is a second reply in a row`);
        }
        return;
      }
      if (rows[i + 1]?.role !== 'bot') {
        verdict.unanswered++;
        note(`${visitor.name}: visitor message seq ${row.seq} has no reply after it`);
      }
    });
    for (const [id, seq] of visitor.acked) {
      const row = byClientId.get(id)?.[0];
      if (!row || row.seq !== seq) {
        verdict.acknowledgedButMissing++;
        note(`${visitor.name}: ${id} acknowledged as seq ${seq}, stored as ${row ? row.seq : 'nothing'}`);
      }
    }
    for (const [seq, seen] of visitor.seen) {
      const row = bySeq.get(seq);
      const same =
        row !== undefined &&
        row.role === seen.role &&
        (row.client_id ?? undefined) === seen.clientId &&
        (seen.components === undefined || seen.components === row.components) &&
        (seen.text === undefined || (JSON.parse(row.components) as Array<{ payload: { text?: string } }>)[0]?.payload.text === seen.text);
      if (!same) {
        verdict.transcriptMismatches++;
        note(`${visitor.name}: seq ${seq} client ${JSON.stringify(seen).slice(0, 120)} db ${JSON.stringify(row).slice(0, 120)}`);
      }
    }
  }
  return verdict;
}
