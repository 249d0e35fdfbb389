import type { LiveConversation, NewMessage } from '../conversations/conversations.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { BatchTail, WriteQueue } from '../db/write-queue.js';
import { perform, type Work } from '../db/step.js';
import { param, prepareQuery } from '../db/prepared.js';
import { SummedCounts, type CountRows } from './summed-counts.js';

/** A quarter hour in milliseconds: the grain of the rollups (every time zone's offset is a multiple of it). */
export const BUCKET_MS = 15 * 60_000;

/** Quarter hours in a UTC day. */
export const QUARTERS_PER_DAY = 96;

/**
 * The `bucket` of a funnel row that counts a whole UTC day (epoch ms / 86400000): negative, so
 * day rows never meet quarter-hour rows. A long period sums day rows for its whole UTC days and
 * quarter-hour rows at its two ends, so any time zone stays exact.
 */
export function dayRow(day: number): number {
  return -1 - day;
}

/** The facts a transition reads and writes. */
interface Facts {
  created_ms: number;
  handed_off_ms: number | null;
  first_response_ms: number | null;
  first_agent_id: string | null;
  resolution_ms: number | null;
  resolved_by: string | null;
  bot_ended: number;
  rating: number | null;
}

/** What committed of a conversation's funnel: the steps it reached, the step it stands at, and its quarter hour. */
interface KnownSteps {
  steps: Set<string>;
  last: string | null;
  bucket: number;
}

/** Funnel counts to add, per step: `[reached, stopped]`. */
type Deltas = Map<string, [number, number]>;

function add(deltas: Deltas, step: string, reached: number, stopped: number): void {
  const d = deltas.get(step);
  if (d) {
    d[0] += reached;
    d[1] += stopped;
  } else deltas.set(step, [reached, stopped]);
}

/** A batch's counts rows to add, per table. */
type BatchCounts = Map<SummedCounts, CountRows>;

/** The counters of `insight_counts`, in the order the recorder adds to them. */
const OUTCOME_COUNTS = ['conversations', 'bot_only', 'handed_off', 'resolved', 'rating_sum', 'r1', 'r2', 'r3', 'r4', 'r5'];

/** Where a conversation counts: handed to a person wins over the bot's end; neither is abandoned. */
function outcome(facts: Facts): 'handed_off' | 'bot_only' | 'abandoned' {
  return facts.handed_off_ms !== null ? 'handed_off' : facts.bot_ended === 1 ? 'bot_only' : 'abandoned';
}

/**
 * The reports' rollups, kept in the write path. Every method runs inside the write that stores
 * the change it records (so a rollup never disagrees with what committed) and only runs prepared
 * statements. With the group commit given, the recorder remembers, per live conversation, the
 * steps its facts row holds and where the conversation stands, learnt only after a commit (so a
 * rolled-back write teaches it nothing). A visitor turn that reaches no new flow step and stops
 * where it stood before (a flow that loops on a question) then runs none; a turn that reaches a new
 * step or moves runs one: an `UPDATE` of the facts row by primary key (its steps and last step).
 * The funnel counts it changed are added to its batch's, which one upsert per counts table stores
 * before the batch commits (`WriteQueue.addToBatch`). A conversation it does not remember (after a restart, or one
 * another node served) costs one more statement: its facts are read first. The
 * rarer events (a start, the bot's end, a hand-off, a first reply, a resolution, a rating) read the
 * conversation's facts, write them back, and move its outcome counts.
 *
 * The memory is safe to trust: only this recorder writes a conversation's steps, always in a write
 * that also moves the conversation's state, and on PostgreSQL a write on a copy that another node
 * made stale fails and drops that copy (with what was learnt about it).
 */
export class InsightsRecorder {
  private readonly statements;

  /**
   * Per live conversation (dropped with it), what its committed funnel rows hold. Only this
   * recorder writes them, and a conversation's writes all go through this process's group commit.
   */
  private readonly known = new WeakMap<LiveConversation, KnownSteps>();

  /** The funnel's counts, by company, flow, bucket (quarter hour or UTC day) and step: reached, stopped. */
  private readonly funnelCounts: SummedCounts;
  /** The outcome, resolution and rating counts of the conversations started in each quarter hour. */
  private readonly outcomeCounts: SummedCounts;
  /**
   * The counts of a whole batch of writes, summed per table and stored once before it commits:
   * under load, many conversations of a company count in the same rows.
   */
  private readonly countsTail: BatchTail<BatchCounts>;

  /**
   * `writes`: the group commit the chat's writes run in; without it (fixtures, seeding) every
   * turn is recorded with SQL alone, counts included.
   */
  constructor(
    database: DatabaseHandle,
    private readonly writes?: WriteQueue,
    /** Told when a batch's counts could not be stored (the batch's writes committed without them). */
    failed: (error: unknown) => void = () => {},
  ) {
    const db = database.db;
    const id = param<string>();
    this.funnelCounts = new SummedCounts(database, 'funnel_counts', ['company_id', 'flow_id', 'bucket', 'step'], ['reached', 'stopped']);
    this.outcomeCounts = new SummedCounts(database, 'insight_counts', ['company_id', 'bucket'], OUTCOME_COUNTS);
    this.countsTail = {
      start: () => new Map(),
      finish: (batch) => (batch.size ? this.storeCounts(batch) : undefined),
      failed,
    };
    this.statements = {
      insertFacts: prepareQuery(
        database,
        { id, company: param<string>(), flow: param<string | null>(), created: param<number>(), steps: param<string | null>(), last: param<string | null>() },
        (p) =>
          db
            .insertInto('conversation_facts')
            .values({ conversation_id: p.id, company_id: p.company, flow_id: p.flow, created_ms: p.created, steps: p.steps, last_step: p.last })
            .onConflict((oc) => oc.doNothing()),
      ),
      steps: prepareQuery(database, { id }, (p) =>
        db.selectFrom('conversation_facts').select(['created_ms', 'steps', 'last_step']).where('conversation_id', '=', p.id),
      ),
      saveSteps: prepareQuery(database, { id, steps: param<string>(), last: param<string>() }, (p) =>
        db.updateTable('conversation_facts').set({ steps: p.steps, last_step: p.last }).where('conversation_id', '=', p.id),
      ),
      facts: prepareQuery(database, { id }, (p) =>
        db
          .selectFrom('conversation_facts')
          .select(['company_id', 'created_ms', 'handed_off_ms', 'first_response_ms', 'first_agent_id', 'resolution_ms', 'resolved_by', 'bot_ended', 'rating'])
          .where('conversation_id', '=', p.id),
      ),
      saveFacts: prepareQuery(
        database,
        {
          id,
          handed_off_ms: param<number | null>(),
          first_response_ms: param<number | null>(),
          first_agent_id: param<string | null>(),
          resolution_ms: param<number | null>(),
          resolved_by: param<string | null>(),
          bot_ended: param<number>(),
          rating: param<number | null>(),
        },
        ({ id, ...facts }) => db.updateTable('conversation_facts').set(facts).where('conversation_id', '=', id),
      ),
    };
  }

  /** A new conversation and the steps its greeting ran. */
  *started(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): Work<void> {
    const { id, companyId, flowId } = conversation;
    const created = Date.parse(conversation.createdAt);
    const steps = new Set(path);
    const last = path?.length ? path[path.length - 1]! : null;
    const inserted = yield* this.statements.insertFacts.run({ id, company: companyId, flow: flowId, created, steps: steps.size ? JSON.stringify([...steps]) : null, last });
    if (inserted.changes === 1) {
      const bucket = Math.floor(created / BUCKET_MS);
      yield* this.count(this.outcomeCounts, [companyId, bucket], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      if (flowId) {
        // The flow's count of conversations (step '') goes in the statement that counts the greeting's steps.
        const deltas: Deltas = new Map([['', [1, 0]]]);
        for (const step of steps) add(deltas, step, 1, 0);
        if (last !== null) add(deltas, last, 0, 1);
        yield* this.funnel(companyId, flowId, bucket, deltas);
      }
      this.learn(conversation, { steps, last, bucket });
      if (terminal) yield* this.change(id, (f) => (f.bot_ended === 0 ? { ...f, bot_ended: 1 } : undefined));
      return;
    }
    yield* perform(this.turn(conversation, path, terminal));
  }

  /**
   * The steps a turn ran: each counts once per conversation in the funnel; the last is where it
   * stands (moved from the step it stood at before). A turn that reaches a new step or moves writes
   * the facts row's steps and last step, and adds every funnel count it changed to its batch's; a
   * turn that does neither writes nothing.
   */
  turn(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): Work<void> | undefined {
    if (!path?.length) return undefined;
    const last = path[path.length - 1]!;
    const known = this.known.get(conversation);
    const fresh = !known || known.last !== last || !path.every((step) => known.steps.has(step));
    // Most turns loop where they stood: no work, not even a generator, on the turn's hot path.
    if (!fresh && !terminal) return undefined;
    return this.turnWork(conversation, path, last, known, fresh, terminal);
  }

  private *turnWork(conversation: LiveConversation, path: string[], last: string, known: KnownSteps | undefined, fresh: boolean, terminal: boolean): Work<void> {
    if (fresh) yield* this.record(conversation, path, last, known);
    if (terminal) yield* this.change(conversation.id, (f) => (f.bot_ended === 0 ? { ...f, bot_ended: 1 } : undefined));
  }

  /**
   * Stores a turn's steps and last step and moves its funnel counts, from what the recorder knows
   * of the conversation (or, when it knows nothing, from its facts row); learns the result once
   * the write commits.
   */
  private *record(conversation: LiveConversation, path: string[], last: string, known: KnownSteps | undefined): Work<void> {
    const { id, companyId, flowId } = conversation;
    let was = known;
    if (was) {
      // Forgotten until this write commits: a later write of the same batch reads the facts row.
      this.known.delete(conversation);
    } else {
      const row = yield* this.statements.steps.get({ id });
      // No facts row: the conversation's start was not recorded, so there is nothing to count against.
      if (!row) return;
      was = { steps: new Set(row.steps ? (JSON.parse(row.steps) as string[]) : []), last: row.last_step, bucket: Math.floor(row.created_ms / BUCKET_MS) };
    }
    const deltas: Deltas = new Map();
    const steps = new Set(was.steps);
    for (const step of path) {
      if (steps.has(step)) continue;
      steps.add(step);
      add(deltas, step, 1, 0);
    }
    if (was.last !== last) {
      if (was.last !== null) add(deltas, was.last, 0, -1);
      add(deltas, last, 0, 1);
    }
    const now = { steps, last, bucket: was.bucket };
    if (deltas.size > 0) {
      yield* this.statements.saveSteps.run({ id, steps: JSON.stringify([...steps]), last });
      if (flowId) yield* this.funnel(companyId, flowId, was.bucket, deltas);
    }
    this.learn(conversation, now);
  }

  /** Remembers what a conversation's facts hold once the running write commits (never after a rollback). */
  private learn(conversation: LiveConversation, known: KnownSteps): void {
    this.writes?.afterCommit(() => this.known.set(conversation, known));
  }

  /**
   * Adds `[reached, stopped]` per step to a quarter hour's funnel counts and to its UTC day's (see
   * {@link dayRow}).
   */
  private *funnel(companyId: string, flowId: string, bucket: number, deltas: Deltas): Work<void> {
    const day = dayRow(Math.floor(bucket / QUARTERS_PER_DAY));
    yield* this.countAll(this.funnelCounts, (rows) => {
      for (const [step, [reached, stopped]] of deltas) {
        this.funnelCounts.add(rows, [companyId, flowId, bucket, step], [reached, stopped]);
        this.funnelCounts.add(rows, [companyId, flowId, day, step], [reached, stopped]);
      }
    });
  }

  /** Adds to one counts row (see {@link countAll}). */
  private *count(counts: SummedCounts, keys: Array<string | number>, deltas: number[]): Work<void> {
    yield* this.countAll(counts, (rows) => counts.add(rows, keys, deltas));
  }

  /**
   * Adds to counts rows: with the group commit, to its batch's sums, which one upsert per table
   * stores before the batch commits (under load many conversations of a company count in the same
   * rows); without (fixtures, seeding), at once.
   */
  private *countAll(counts: SummedCounts, add: (rows: CountRows) => void): Work<void> {
    if (this.writes) {
      this.writes.addToBatch(this.countsTail, (batch) => {
        let rows = batch.get(counts);
        if (!rows) batch.set(counts, (rows = new Map()));
        add(rows);
      });
      return;
    }
    const rows: CountRows = new Map();
    add(rows);
    yield* counts.store(rows);
  }

  /**
   * A batch's counts: the outcome rows, then the funnel's, always in that order (and each table's
   * in key order), so two nodes' batches never lock them in a circle.
   */
  private *storeCounts(batch: BatchCounts): Work<void> {
    for (const counts of [this.outcomeCounts, this.funnelCounts]) {
      const rows = batch.get(counts);
      if (rows?.size) yield* counts.store(rows);
    }
  }

  /** A person was asked for (the first time counts). */
  *handedOff(conversationId: string, at: number): Work<void> {
    yield* this.change(conversationId, (f) => (f.handed_off_ms === null ? { ...f, handed_off_ms: at } : undefined));
  }

  /**
   * Messages an agent action stored. The first agent reply is the first response, counted from the
   * hand-off, or from a claim of a conversation nobody asked a person for; an agent who steps in
   * with a reply unasked starts the person's part but sets no response time.
   */
  *recorded(conversation: LiveConversation, messages: NewMessage[], at: number): Work<void> {
    for (const message of messages) {
      if (message.role !== 'agent' || !message.authorId) continue;
      const agent = message.authorId;
      yield* this.change(conversation.id, (f) =>
        f.first_agent_id !== null
          ? undefined
          : { ...f, handed_off_ms: f.handed_off_ms ?? at, first_agent_id: agent, first_response_ms: f.handed_off_ms === null ? null : at - f.handed_off_ms },
      );
      return;
    }
    if (conversation.status === 'agent') yield* this.handedOff(conversation.id, at);
  }

  /** An agent resolved the conversation (the first resolution counts). */
  *resolved(conversationId: string, agentId: string, at: number): Work<void> {
    yield* this.change(conversationId, (f) =>
      f.resolved_by !== null
        ? undefined
        : { ...f, handed_off_ms: f.handed_off_ms ?? at, resolved_by: agentId, resolution_ms: f.handed_off_ms === null ? null : at - f.handed_off_ms },
    );
  }

  /** The visitor's rating, 1 to 5 (the first stands). */
  *rated(conversationId: string, score: number): Work<void> {
    yield* this.change(conversationId, (f) => (f.rating === null ? { ...f, rating: score } : undefined));
  }

  /** Reads a conversation's facts, applies `next` (undefined: no change), and moves its counts. */
  private *change(conversationId: string, next: (facts: Facts) => Facts | undefined): Work<void> {
    const before = yield* this.statements.facts.get({ id: conversationId });
    if (!before) return;
    const after = next(before);
    if (!after) return;
    yield* this.statements.saveFacts.run({
      id: conversationId,
      handed_off_ms: after.handed_off_ms,
      first_response_ms: after.first_response_ms,
      first_agent_id: after.first_agent_id,
      resolution_ms: after.resolution_ms,
      resolved_by: after.resolved_by,
      bot_ended: after.bot_ended,
      rating: after.rating,
    });
    const was = outcome(before);
    const is = outcome(after);
    const delta = (name: string) => (is === name ? 1 : 0) - (was === name ? 1 : 0);
    const rating = (score: number) => (after.rating === score ? 1 : 0) - (before.rating === score ? 1 : 0);
    yield* this.count(
      this.outcomeCounts,
      [before.company_id, Math.floor(before.created_ms / BUCKET_MS)],
      [
        0,
        delta('bot_only'),
        delta('handed_off'),
        (after.resolved_by !== null ? 1 : 0) - (before.resolved_by !== null ? 1 : 0),
        (after.rating ?? 0) - (before.rating ?? 0),
        rating(1),
        rating(2),
        rating(3),
        rating(4),
        rating(5),
      ],
    );
  }
}
