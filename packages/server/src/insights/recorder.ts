import { sql, type InsertObject, type Kysely, type RawBuilder } from 'kysely';
import type { LiveConversation, NewMessage } from '../conversations/conversations.js';
import type { Database } from '../db/database.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { BatchTail, WriteQueue } from '../db/write-queue.js';
import { perform, type Work } from '../db/step.js';
import { param, prepareQuery, type Param, type PreparedQuery } from '../db/prepared.js';

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

/** Funnel rows to move, by company, flow, bucket and step (one key per row, so one statement never names a row twice). */
type FunnelRows = Map<string, { company: string; flow: string; bucket: number; step: string; reached: number; stopped: number }>;

/** Adds a conversation's `[reached, stopped]` per step to its quarter hour's rows and its UTC day's. */
function addFunnel(rows: FunnelRows, company: string, flow: string, bucket: number, deltas: Deltas): void {
  const day = dayRow(Math.floor(bucket / QUARTERS_PER_DAY));
  for (const [step, [reached, stopped]] of deltas) {
    for (const at of [bucket, day]) {
      const key = `${company}\u0000${flow}\u0000${at}\u0000${step}`;
      const row = rows.get(key);
      if (row) {
        row.reached += reached;
        row.stopped += stopped;
      } else rows.set(key, { company, flow, bucket: at, step, reached, stopped });
    }
  }
}

/** The most funnel rows one statement moves (six parameters each). */
const FUNNEL_ROWS_PER_STATEMENT = 128;

/** Parameters named at run time (a statement per number of rows). */
type Params = Record<string, Param<unknown>>;

/** A named parameter of a statement whose parameters depend on its number of rows. */
function named<T>(name: string): RawBuilder<T> {
  return sql.raw<T>(`:${name}`);
}

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
 * The funnel counts it changed are added to its batch's, which one upsert stores before the batch
 * commits (`WriteQueue.addToBatch`). A conversation it does not remember (after a restart, or one
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

  /** Statements by how many rows they write at once (a turn's counts in one statement). */
  private readonly moveFunnel = new Map<number, PreparedQuery<unknown, Params>>();
  /**
   * Per live conversation (dropped with it), what its committed funnel rows hold. Only this
   * recorder writes them, and a conversation's writes all go through this process's group commit.
   */
  private readonly known = new WeakMap<LiveConversation, KnownSteps>();

  /**
   * `writes`: the group commit the chat's writes run in; without it (fixtures, seeding) every
   * turn is recorded with SQL alone.
   */
  private readonly db: Kysely<Database>;

  /**
   * The funnel counts of a whole batch of writes, summed and moved in one statement before it
   * commits (under load, many conversations of one flow reach the same steps in the same quarter
   * hour: one row each, not one per turn).
   */
  private readonly funnelTail: BatchTail<FunnelRows> = {
    start: () => new Map(),
    finish: (rows) => (rows.size ? this.moveFunnelRows(rows) : undefined),
    failed: (error) => this.failed(error),
  };

  constructor(
    private readonly database: DatabaseHandle,
    private readonly writes?: WriteQueue,
    /** Told when a batch's funnel counts could not be stored (the batch's writes committed without them). */
    private readonly failed: (error: unknown) => void = () => {},
  ) {
    const db = (this.db = database.db);
    const id = param<string>();
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
      countStart: prepareQuery(database, { company: param<string>(), bucket: param<number>() }, (p) =>
        db
          .insertInto('insight_counts')
          .values({ company_id: p.company, bucket: p.bucket, conversations: 1 })
          .onConflict((oc) => oc.columns(['company_id', 'bucket']).doUpdateSet((eb) => ({ conversations: eb('insight_counts.conversations', '+', 1) }))),
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
      moveCounts: prepareQuery(
        database,
        {
          company_id: param<string>(),
          bucket: param<number>(),
          bot_only: param<number>(),
          handed_off: param<number>(),
          resolved: param<number>(),
          rating_sum: param<number>(),
          r1: param<number>(),
          r2: param<number>(),
          r3: param<number>(),
          r4: param<number>(),
          r5: param<number>(),
        },
        ({ company_id, bucket, ...deltas }) =>
          db
            .updateTable('insight_counts')
            .set((eb) => ({
              bot_only: eb('bot_only', '+', deltas.bot_only),
              handed_off: eb('handed_off', '+', deltas.handed_off),
              resolved: eb('resolved', '+', deltas.resolved),
              rating_sum: eb('rating_sum', '+', deltas.rating_sum),
              r1: eb('r1', '+', deltas.r1),
              r2: eb('r2', '+', deltas.r2),
              r3: eb('r3', '+', deltas.r3),
              r4: eb('r4', '+', deltas.r4),
              r5: eb('r5', '+', deltas.r5),
            }))
            .where('company_id', '=', company_id)
            .where('bucket', '=', bucket),
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
      yield* this.statements.countStart.run({ company: companyId, bucket });
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
   * {@link dayRow}): with the group commit, to its batch's sum, stored once before it commits;
   * without (fixtures, seeding), at once.
   */
  private *funnel(companyId: string, flowId: string, bucket: number, deltas: Deltas): Work<void> {
    if (this.writes) {
      this.writes.addToBatch(this.funnelTail, (rows) => addFunnel(rows, companyId, flowId, bucket, deltas));
      return;
    }
    const rows: FunnelRows = new Map();
    addFunnel(rows, companyId, flowId, bucket, deltas);
    yield* this.moveFunnelRows(rows);
  }

  /** Moves funnel rows, in key order (so two nodes' batches lock them in the same order), a statement per 128. */
  private *moveFunnelRows(rows: FunnelRows): Work<void> {
    const keys = [...rows.keys()].sort();
    for (let from = 0; from < keys.length; from += FUNNEL_ROWS_PER_STATEMENT) {
      const chunk = keys.slice(from, from + FUNNEL_ROWS_PER_STATEMENT);
      const args: Record<string, string | number> = {};
      chunk.forEach((key, i) => {
        const row = rows.get(key)!;
        args[`c${i}`] = row.company;
        args[`f${i}`] = row.flow;
        args[`b${i}`] = row.bucket;
        args[`s${i}`] = row.step;
        args[`r${i}`] = row.reached;
        args[`t${i}`] = row.stopped;
      });
      yield* this.moveFunnelStatement(chunk.length).run(args);
    }
  }

  /**
   * Adds `rows` rows' counts (company `:c0`, flow `:f0`, bucket `:b0`, step `:s0`, reached `:r0`,
   * stopped `:t0`...) to the funnel in one statement.
   */
  private moveFunnelStatement(rows: number): PreparedQuery<unknown, Params> {
    let statement = this.moveFunnel.get(rows);
    if (!statement) {
      const values: Array<InsertObject<Database, 'funnel_counts'>> = [];
      for (let i = 0; i < rows; i++) {
        values.push({
          company_id: named<string>(`c${i}`),
          flow_id: named<string>(`f${i}`),
          bucket: named<number>(`b${i}`),
          step: named<string>(`s${i}`),
          reached: named<number>(`r${i}`),
          stopped: named<number>(`t${i}`),
        });
      }
      statement = prepareQuery(this.database, {} as Params, () =>
        this.db
          .insertInto('funnel_counts')
          .values(values)
          .onConflict((oc) =>
            oc.columns(['company_id', 'flow_id', 'bucket', 'step']).doUpdateSet((eb) => ({
              reached: eb('funnel_counts.reached', '+', eb.ref('excluded.reached')),
              stopped: eb('funnel_counts.stopped', '+', eb.ref('excluded.stopped')),
            })),
          ),
      );
      this.moveFunnel.set(rows, statement);
    }
    return statement;
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
    yield* this.statements.moveCounts.run({
      company_id: before.company_id,
      bucket: Math.floor(before.created_ms / BUCKET_MS),
      bot_only: delta('bot_only'),
      handed_off: delta('handed_off'),
      resolved: (after.resolved_by !== null ? 1 : 0) - (before.resolved_by !== null ? 1 : 0),
      rating_sum: (after.rating ?? 0) - (before.rating ?? 0),
      r1: rating(1),
      r2: rating(2),
      r3: rating(3),
      r4: rating(4),
      r5: rating(5),
    });
  }
}
