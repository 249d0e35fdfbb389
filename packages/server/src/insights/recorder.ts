import type { ConversationChanges, LiveConversation, NewMessage } from '../conversations/conversations.js';
import type { FlowState, FunnelMemory } from '../flows/engine.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { BatchTail, WriteQueue } from '../db/write-queue.js';
import { perform, type PendingStatement, type Work, type WriteEffect } from '../db/step.js';
import { param, prepareQuery } from '../db/prepared.js';
import { BatchFacts, type NewFacts } from './batch-facts.js';
import { FunnelSums, OutcomeSums } from './batch-sums.js';
import { SummedCounts } from './summed-counts.js';

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

/**
 * What a turn (or a greeting) moves in the funnel: the steps it reached for the first time, each
 * counted once, and where the conversation stands, moved from `from` to `to`.
 */
interface Move {
  reached: readonly string[];
  from: string | null;
  to: string | null;
}

const NO_STEPS: readonly string[] = [];

/**
 * What a turn that ran `path` (ending at `last`) moves from what was counted: the new memory and
 * the move, or undefined when nothing moves.
 */
function advance(was: FunnelMemory, path: string[], last: string): { memory: FunnelMemory; move: Move } | undefined {
  let steps = was.steps;
  let reached: string[] | undefined;
  for (const step of path) {
    if (steps.includes(step)) continue;
    if (steps === was.steps) steps = [...steps];
    steps.push(step);
    (reached ??= []).push(step);
  }
  if (!reached && was.last === last) return undefined;
  return { memory: { steps, last }, move: { reached: reached ?? NO_STEPS, from: was.last, to: last } };
}

/** What a greeting that ran `path` counts, from nothing counted: each of its steps once, and where it stands. */
function greeting(path: string[] | undefined): { memory: FunnelMemory; move: Move | undefined } {
  const nothing: FunnelMemory = { steps: [], last: null };
  const moved = path?.length ? advance(nothing, path, path[path.length - 1]!) : undefined;
  return moved ?? { memory: nothing, move: undefined };
}

/** Adds a move to a quarter hour's funnel counts. */
function addMove(sums: FunnelSums, companyId: string, flowId: string, bucket: number, move: Move): void {
  for (const step of move.reached) sums.add(companyId, flowId, bucket, step, 1, 0);
  if (move.from === move.to) return;
  if (move.from !== null) sums.add(companyId, flowId, bucket, move.from, 0, -1);
  if (move.to !== null) sums.add(companyId, flowId, bucket, move.to, 0, 1);
}

/** The counters of `insight_counts`, in the order the recorder adds to them. */
const OUTCOME_COUNTS = ['conversations', 'bot_only', 'handed_off', 'resolved', 'rating_sum', 'r1', 'r2', 'r3', 'r4', 'r5'];
const CONVERSATIONS = 0;
const BOT_ONLY = 1;

/** A conversation's start, as its batch records it: its facts row, and what its greeting moved in the funnel. */
interface Start extends NewFacts {
  move: Move | undefined;
}

/**
 * What a batch's writes record for the reports, gathered while they run and stored once before
 * the batch commits: the facts rows of the conversations started, the bot's ends, and the counts.
 */
class BatchCounts {
  readonly starts: Start[] = [];
  /** Conversations whose bot reached an `end` step. */
  readonly ended: string[] = [];
  readonly funnel = new FunnelSums();
  readonly outcomes = new OutcomeSums(OUTCOME_COUNTS.length);

  get empty(): boolean {
    return this.starts.length === 0 && this.ended.length === 0 && this.funnel.empty && this.outcomes.empty;
  }
}

/** The quarter hour a conversation's counts go in: the one it started in. */
function bucketOf(conversation: LiveConversation): number {
  return Math.floor(Date.parse(conversation.createdAt) / BUCKET_MS);
}

/** A visitor turn's share of its batch: its funnel move (in its conversation's quarter hour), and its bot's end. */
function turnShare(conversation: LiveConversation, move: Move | undefined, terminal: boolean): (batch: BatchCounts) => void {
  const { id, companyId, flowId } = conversation;
  const bucket = move && flowId ? bucketOf(conversation) : 0;
  return (batch) => {
    if (move && flowId) addMove(batch.funnel, companyId, flowId, bucket, move);
    if (terminal) batch.ended.push(id);
  };
}

const FINISHED: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * A turn's share of the reports, as its write's effect: when the write runs, its funnel move and
 * its bot's end go to the batch the write commits in. It runs no statement, so it is an iterator
 * that finishes at once rather than a generator (every turn that counts runs only this).
 */
class TurnEffect implements Iterator<PendingStatement, undefined, unknown> {
  constructor(
    private readonly writes: WriteQueue,
    private readonly tail: BatchTail<BatchCounts>,
    private readonly share: (batch: BatchCounts) => void,
  ) {}

  [Symbol.iterator](): this {
    return this;
  }

  next(): IteratorReturnResult<undefined> {
    this.writes.addToBatch(this.tail, this.share);
    return FINISHED;
  }
}

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
 * is queued, and writes no statement of its own. A turn that reaches no new flow step and stops
 * where it stood moves nothing. A conversation whose state carries no memory (started before the
 * memory moved there) is counted from its facts row, as it used to be, until its next stored state
 * carries the memory.
 *
 * What the common events record is gathered per batch of writes (`WriteQueue.addToBatch`) and
 * stored once before the batch commits, in a statement per table for all its conversations: the
 * facts rows of the conversations started, the bot's ends (set on their facts rows, which return
 * what the counts need), then the outcome and funnel counts. Under load a batch holds many
 * conversations of a company, whose counts sum into the same rows. The rare events (a hand-off, a
 * first reply, a resolution, a rating) read the facts, write them back, and move the outcome
 * counts; they come after the start's commit, so its facts row is there.
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
  /** The facts rows a batch starts and ends, one statement for all. */
  private readonly facts: BatchFacts;

  /**
   * `writes`: the group commit the chat's writes run in; without it (fixtures, seeding) every
   * turn is recorded with SQL alone, counts included. `guard` wraps the work of a turn that runs
   * statements (the plugin's: a failed rollup is reported, and on SQLite never fails the turn).
   */
  constructor(
    database: DatabaseHandle,
    private readonly writes?: WriteQueue,
    /** Told when a batch's counts could not be stored (the batch's writes committed without them). */
    failed: (error: unknown) => void = () => {},
    private readonly guard: (work: Work<void>) => Work<void> = (work) => work,
  ) {
    const db = database.db;
    const id = param<string>();
    this.funnelCounts = new SummedCounts(database, 'funnel_counts', ['company_id', 'flow_id', 'bucket', 'step'], ['reached', 'stopped']);
    this.outcomeCounts = new SummedCounts(database, 'insight_counts', ['company_id', 'bucket'], OUTCOME_COUNTS);
    this.facts = new BatchFacts(database);
    this.countsTail = {
      start: () => new BatchCounts(),
      finish: (batch) => (batch.empty ? undefined : this.storeBatch(batch)),
      failed,
    };
    this.statements = {
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

  /** Marks a new conversation's first flow state with what its greeting counts: the steps it ran and where it stands. */
  beginFunnel(state: FlowState, path: string[] | undefined): void {
    state.funnel = greeting(path).memory;
  }

  /**
   * A new conversation and the steps its greeting ran (its state carries them: `beginFunnel`):
   * its facts row, its count and its greeting's funnel counts go to its write's batch, which
   * stores them for all its conversations at once. A facts row already there was counted before,
   * and counts nothing again.
   */
  started(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): WriteEffect {
    const { id, companyId, flowId } = conversation;
    const start: Start = { id, companyId, flowId, createdMs: Date.parse(conversation.createdAt), move: greeting(path).move };
    return this.guarded(
      this.addCounts((batch) => {
        batch.starts.push(start);
        if (terminal) batch.ended.push(id);
      }),
    );
  }

  /**
   * A visitor turn, before its write is queued (the conversation as it stands before the turn):
   * the steps the turn ran (`changes.reached`) each count once per conversation in the funnel, and
   * the last is where it stands, moved from where it stood. Puts the new memory in `changes.flow`,
   * and returns what the write must record (the funnel counts it moves, the bot's end): nothing
   * when the turn reached no new step, stays where it stood and did not end.
   */
  turn(conversation: LiveConversation, changes: ConversationChanges): WriteEffect {
    const path = changes.reached;
    if (!path?.length) return undefined;
    const last = path[path.length - 1]!;
    const terminal = changes.isTerminal === true;
    const memory = conversation.flow.funnel;
    if (!memory || !changes.flow) return this.guard(this.turnFromFacts(conversation, path, last, terminal));
    const moved = advance(memory, path, last);
    changes.flow.funnel = moved?.memory ?? memory;
    // Most turns loop where they stood: no work at all on the turn's hot path.
    if (!moved && !terminal) return undefined;
    const share = turnShare(conversation, moved?.move, terminal);
    if (this.writes) return new TurnEffect(this.writes, this.countsTail, share);
    // Without the group commit (fixtures): the statements, at once.
    return this.guarded(this.addCounts(share));
  }

  private *turnFromFacts(conversation: LiveConversation, path: string[], last: string, terminal: boolean): Work<void> {
    yield* this.fromFacts(conversation, path, last);
    if (terminal) yield* perform(this.addCounts((batch) => batch.ended.push(conversation.id)));
  }

  /** `work` under the guard, or nothing when there is nothing to run. */
  private guarded(work: Work<void> | undefined): WriteEffect {
    return work && this.guard(work);
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
      const bucket = Math.floor(row.created_ms / BUCKET_MS);
      if (flowId) yield* perform(this.addCounts((batch) => addMove(batch.funnel, companyId, flowId, bucket, moved.move)));
    }
    const memory = moved?.memory ?? was;
    // Learnt only when no other write of the conversation is in flight: one queued meanwhile was
    // also counted from the facts row, and learns in its turn.
    this.writes?.afterCommit(() => {
      if (conversation.pending <= 1) conversation.flow.funnel = memory;
    });
  }

  /**
   * Adds to counts: with the group commit, to its batch's sums, which one upsert per table stores
   * before the batch commits (under load many conversations of a company count in the same rows),
   * and nothing to run; without (fixtures, seeding), the statements that store them at once.
   */
  private addCounts(add: (batch: BatchCounts) => void): Work<void> | undefined {
    if (this.writes) {
      this.writes.addToBatch(this.countsTail, add);
      return undefined;
    }
    const batch = new BatchCounts();
    add(batch);
    return this.storeBatch(batch);
  }

  /**
   * What a batch recorded: the facts rows of its starts (each counted in the outcome counts and
   * its flow's funnel when new), the bot's ends (a conversation no person was asked for moves from
   * abandoned to solved by the bot; the first end counts), then the outcome counts and the
   * funnel's (each quarter hour's with its UTC day's, see {@link dayRow}). Always in that order,
   * and each in key order, so two nodes' batches never lock rows in a circle.
   */
  private *storeBatch(batch: BatchCounts): Work<void> {
    const { funnel, outcomes } = batch;
    if (batch.starts.length) {
      const inserted = yield* this.facts.insert(batch.starts);
      for (const { id, companyId, flowId, createdMs, move } of batch.starts) {
        if (!inserted.has(id)) continue;
        const bucket = Math.floor(createdMs / BUCKET_MS);
        outcomes.add(companyId, bucket, CONVERSATIONS, 1);
        if (!flowId) continue;
        // The flow's count of conversations is step ''.
        funnel.add(companyId, flowId, bucket, '', 1, 0);
        if (move) addMove(funnel, companyId, flowId, bucket, move);
      }
    }
    if (batch.ended.length) {
      for (const facts of yield* this.facts.end(batch.ended)) {
        if (facts.handed_off_ms === null) outcomes.add(facts.company_id, Math.floor(Number(facts.created_ms) / BUCKET_MS), BOT_ONLY, 1);
      }
    }
    const outcomeRows = outcomes.rows(this.outcomeCounts);
    if (outcomeRows.size) yield* this.outcomeCounts.store(outcomeRows);
    const funnelRows = funnel.rows(this.funnelCounts, (bucket) => dayRow(Math.floor(bucket / QUARTERS_PER_DAY)));
    if (funnelRows.size) yield* this.funnelCounts.store(funnelRows);
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
    const bucket = Math.floor(before.created_ms / BUCKET_MS);
    const deltas = [
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
    ];
    yield* perform(this.addCounts((batch) => batch.outcomes.addAll(before.company_id, bucket, deltas)));
  }
}
