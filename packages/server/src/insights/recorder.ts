import type { ConversationChanges, LiveConversation, NewMessage } from '../conversations/conversations.js';
import type { FlowState, FunnelMemory } from '../flows/engine.js';
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

/** Funnel counts to add, per step: `[reached, stopped]`. */
type Deltas = Map<string, [number, number]>;

function add(deltas: Deltas, step: string, reached: number, stopped: number): void {
  const d = deltas.get(step);
  if (d) {
    d[0] += reached;
    d[1] += stopped;
  } else deltas.set(step, [reached, stopped]);
}

/**
 * What a turn that ran `path` (ending at `last`) moves from what was counted: each step not
 * reached before counts once, and where the conversation stands moves to `last`. The new memory
 * and the counts to add, or undefined when nothing moves.
 */
function advance(was: FunnelMemory, path: string[], last: string): { memory: FunnelMemory; deltas: Deltas } | undefined {
  let steps = was.steps;
  let deltas: Deltas | undefined;
  for (const step of path) {
    if (steps.includes(step)) continue;
    if (steps === was.steps) steps = [...steps];
    steps.push(step);
    add((deltas ??= new Map()), step, 1, 0);
  }
  if (was.last !== last) {
    deltas ??= new Map();
    if (was.last !== null) add(deltas, was.last, 0, -1);
    add(deltas, last, 0, 1);
  }
  return deltas && { memory: { steps, last }, deltas };
}

/** What a greeting that ran `path` counts, from nothing counted: each of its steps once, and where it stands. */
function greeting(path: string[] | undefined): { memory: FunnelMemory; deltas: Deltas } {
  const nothing: FunnelMemory = { steps: [], last: null };
  return (path?.length ? advance(nothing, path, path[path.length - 1]!) : undefined) ?? { memory: nothing, deltas: new Map() };
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
 * statements. What the funnel has counted of a conversation (the steps it reached and the step it
 * stands at) rides in its flow state (`FlowState.funnel`), which every turn stores anyway: a visitor
 * turn works out the funnel counts it moves from the conversation as it stands, before its write
 * is queued, and writes no statement of its own. Those counts are added to its batch's, which one
 * upsert per counts table stores before the batch commits (`WriteQueue.addToBatch`). A turn that
 * reaches no new flow step and stops where it stood moves nothing. A conversation whose state
 * carries no memory (started before the memory moved there) is counted from its facts row, as it
 * used to be, until its next stored state carries the memory. A start inserts the conversation's
 * facts row; the bot's end sets it in one statement that returns what the counts need; the other
 * rare events (a hand-off, a first reply, a resolution, a rating) read the facts, write them back,
 * and move the outcome counts.
 *
 * The memory is as safe as the flow state it rides in: a write that fails drops the live copy,
 * and on PostgreSQL a write from a copy that another node made stale fails (`state_version`).
 */
export class InsightsRecorder {
  private readonly statements;

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
        { id, company: param<string>(), flow: param<string | null>(), created: param<number>() },
        (p) =>
          db
            .insertInto('conversation_facts')
            .values({ conversation_id: p.id, company_id: p.company, flow_id: p.flow, created_ms: p.created })
            .onConflict((oc) => oc.doNothing()),
      ),
      steps: prepareQuery(database, { id }, (p) =>
        db.selectFrom('conversation_facts').select(['created_ms', 'steps', 'last_step']).where('conversation_id', '=', p.id),
      ),
      saveSteps: prepareQuery(database, { id, steps: param<string>(), last: param<string>() }, (p) =>
        db.updateTable('conversation_facts').set({ steps: p.steps, last_step: p.last }).where('conversation_id', '=', p.id),
      ),
      // The bot's end, once: what the outcome counts need comes back from the same statement.
      endBot: prepareQuery(database, { id }, (p) =>
        db
          .updateTable('conversation_facts')
          .set({ bot_ended: 1 })
          .where('conversation_id', '=', p.id)
          .where('bot_ended', '=', 0)
          .returning(['company_id', 'created_ms', 'handed_off_ms']),
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

  /** Marks a new conversation's first flow state with what its greeting counts: the steps it ran and where it stands. */
  beginFunnel(state: FlowState, path: string[] | undefined): void {
    state.funnel = greeting(path).memory;
  }

  /** A new conversation and the steps its greeting ran (its state carries them: `beginFunnel`). */
  *started(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): Work<void> {
    const { id, companyId, flowId } = conversation;
    const created = Date.parse(conversation.createdAt);
    const inserted = yield* this.statements.insertFacts.run({ id, company: companyId, flow: flowId, created });
    if (inserted.changes === 1) {
      const bucket = Math.floor(created / BUCKET_MS);
      yield* this.count(this.outcomeCounts, [companyId, bucket], [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
      if (flowId) {
        // The flow's count of conversations (step '') goes in the statement that counts the greeting's steps.
        const { deltas } = greeting(path);
        add(deltas, '', 1, 0);
        yield* this.funnel(companyId, flowId, bucket, deltas);
      }
    } else if (path?.length) {
      // Its start was counted before: count what is new since, from the facts row.
      yield* this.fromFacts(conversation, path, path[path.length - 1]!);
    }
    if (terminal) yield* this.botEnded(id);
  }

  /**
   * A visitor turn, before its write is queued (the conversation as it stands before the turn):
   * the steps the turn ran (`changes.reached`) each count once per conversation in the funnel, and
   * the last is where it stands, moved from where it stood. Puts the new memory in `changes.flow`,
   * and returns what the write must record (the funnel counts it moves, the bot's end): nothing
   * when the turn reached no new step, stays where it stood and did not end.
   */
  turn(conversation: LiveConversation, changes: ConversationChanges): Work<void> | undefined {
    const path = changes.reached;
    if (!path?.length) return undefined;
    const last = path[path.length - 1]!;
    const terminal = changes.isTerminal === true;
    const memory = conversation.flow.funnel;
    if (!memory || !changes.flow) return this.turnFromFacts(conversation, path, last, terminal);
    const moved = advance(memory, path, last);
    changes.flow.funnel = moved?.memory ?? memory;
    // Most turns loop where they stood: no work, not even a generator, on the turn's hot path.
    if (!moved && !terminal) return undefined;
    return this.turnWork(conversation, moved?.deltas, terminal);
  }

  private *turnWork(conversation: LiveConversation, deltas: Deltas | undefined, terminal: boolean): Work<void> {
    const { flowId } = conversation;
    if (deltas && flowId) yield* this.funnel(conversation.companyId, flowId, Math.floor(Date.parse(conversation.createdAt) / BUCKET_MS), deltas);
    if (terminal) yield* this.botEnded(conversation.id);
  }

  private *turnFromFacts(conversation: LiveConversation, path: string[], last: string, terminal: boolean): Work<void> {
    yield* this.fromFacts(conversation, path, last);
    if (terminal) yield* this.botEnded(conversation.id);
  }

  /**
   * A turn of a conversation whose state carries no funnel memory (stored before it rode there):
   * counts against the steps and last step of its facts row, writes them back, and once the write
   * commits puts the memory in the live state, so the next stored state carries it.
   */
  private *fromFacts(conversation: LiveConversation, path: string[], last: string): Work<void> {
    const { id, companyId, flowId } = conversation;
    const row = yield* this.statements.steps.get({ id });
    // No facts row: the conversation's start was not recorded, so there is nothing to count against.
    if (!row) return;
    const was: FunnelMemory = { steps: row.steps ? (JSON.parse(row.steps) as string[]) : [], last: row.last_step };
    const moved = advance(was, path, last);
    if (moved) {
      yield* this.statements.saveSteps.run({ id, steps: JSON.stringify(moved.memory.steps), last });
      if (flowId) yield* this.funnel(companyId, flowId, Math.floor(row.created_ms / BUCKET_MS), moved.deltas);
    }
    const memory = moved?.memory ?? was;
    // Learnt only when no other write of the conversation is in flight: one queued meanwhile was
    // also counted from the facts row, and learns in its turn.
    this.writes?.afterCommit(() => {
      if (conversation.pending <= 1) conversation.flow.funnel = memory;
    });
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

  /**
   * The bot reached an `end` step (the first time counts): a conversation no person was asked for
   * moves from abandoned to solved by the bot; one handed off stays where it counts.
   */
  private *botEnded(conversationId: string): Work<void> {
    const facts = yield* this.statements.endBot.get({ id: conversationId });
    if (!facts || facts.handed_off_ms !== null) return;
    yield* this.count(this.outcomeCounts, [facts.company_id, Math.floor(facts.created_ms / BUCKET_MS)], [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
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
