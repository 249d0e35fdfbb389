import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { userIdString, type IdentityClaim, type IdentitySettingsView, type VisitorIdentity } from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { Sealer } from '../lib/sealed.js';
import { KeyedLanes } from '../lib/keyed-lanes.js';
import { verifyIdentityHash, verifyIdentityToken } from '../lib/identity-proof.js';
import { topics, type EventBus } from '../core/bus.js';
import type { ChatService, VisitorInfo } from '../conversations/chat.js';
import type { Company } from '../companies/companies.js';
import { hashToken, type ConversationStore, type LiveConversation } from '../conversations/conversations.js';

/** A company's identity settings, with the secret in the clear (it only lives in memory). */
interface IdentitySettings {
  secret: string;
  enforce: boolean;
  rotatedAt: string;
}

/** What an identity claim turned out to be. */
export interface CheckedIdentity {
  /** The user id, when the claim named one (verified or not). */
  userId?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
  verified: boolean;
  /** Why a hash or token did not check out, or why the identity was refused. */
  error?: string | undefined;
}

/** The outcome of identifying a visitor on a connection or a session. */
export interface IdentifyOutcome {
  identity: CheckedIdentity;
  /** The conversation the visitor is in from now on. */
  conversation: LiveConversation;
  /** A new session token, when the visitor moved to (or started) another conversation. */
  session?: string | undefined;
  /** The visitor moved to their verified identity's open conversation elsewhere. */
  switched: boolean;
  /** A new conversation was started for them. */
  created: boolean;
}

/** A new identity secret, such as `is_Vb3...`. */
export function newIdentitySecret(): string {
  return `is_${randomBytes(32).toString('base64url')}`;
}

interface StoredIdentity {
  identity_user_id: string | null;
  identity_name: string | null;
  identity_email: string | null;
  identity_verified: number;
  identified_at: string | null;
}

/**
 * Visitor identity: the host page says who the visitor is (`Parley.identify`), with a hash or a
 * short-lived token its own server made with the company's identity secret.
 *
 * - A **verified** identity labels the conversation and follows the visitor across devices: a
 *   device without a conversation of its own (or one where the visitor has not spoken yet) is
 *   moved to that visitor's open conversation with a session token of its own. A visitor who
 *   already talked anonymously keeps that conversation, which becomes theirs.
 * - An **unverified** identity (no proof, or a proof that does not check out) only labels the
 *   conversation it was given in, for agents, as unverified. It never leads to another
 *   conversation and never replaces a verified identity.
 */
export class IdentityService {
  private readonly settingsByCompany = new Map<string, IdentitySettings>();
  /** Identifications of the same visitor, one after another (two devices at once make one conversation). */
  private readonly lanes = new KeyedLanes();
  private readonly statements;
  private readonly db: Kysely<Database>;

  constructor(
    database: DatabaseHandle,
    private readonly writes: WriteQueue,
    private readonly conversations: ConversationStore,
    private readonly chat: ChatService,
    private readonly bus: EventBus,
    private readonly sealer: Sealer,
  ) {
    this.db = database.db;
    const { db } = database;
    const owned = { id: param<string>(), company: param<string>() };
    this.statements = {
      identityOf: prepareQuery(database, owned, (p) =>
        db
          .selectFrom('conversations')
          .select(['identity_user_id', 'identity_name', 'identity_email', 'identity_verified', 'identified_at'])
          .where('id', '=', p.id)
          .where('company_id', '=', p.company),
      ),
      setIdentity: prepareQuery(
        database,
        { ...owned, user: param<string>(), name: param<string | null>(), email: param<string | null>(), verified: param<number>(), at: param<string>() },
        (p) =>
          db
            .updateTable('conversations')
            .set({ identity_user_id: p.user, identity_name: p.name, identity_email: p.email, identity_verified: p.verified, identified_at: p.at })
            .where('id', '=', p.id)
            .where('company_id', '=', p.company),
      ),
      openOfUser: prepareQuery(database, { company: param<string>(), user: param<string>() }, (p) =>
        db
          .selectFrom('conversations')
          .select('id')
          .where('company_id', '=', p.company)
          .where('identity_user_id', '=', p.user)
          .where('identity_verified', '=', 1)
          .where('status', '!=', 'closed')
          .orderBy('updated_at', 'desc')
          .limit(1),
      ),
      visitorSpoke: prepareQuery(database, { id: param<string>() }, (p) =>
        db.selectFrom('messages').select((eb) => eb.lit(1).as('one')).where('conversation_id', '=', p.id).where('role', '=', 'user').limit(1),
      ),
      addSession: prepareQuery(database, { hash: param<string>(), id: param<string>(), company: param<string>(), at: param<string>() }, (p) =>
        db.insertInto('conversation_sessions').values({ token_hash: p.hash, conversation_id: p.id, company_id: p.company, created_at: p.at }),
      ),
    };
  }

  /** Loads every company's settings (secrets are unsealed once, into memory). */
  async load(): Promise<void> {
    for (const row of await this.db.selectFrom('identity_settings').selectAll().execute()) {
      const secret = this.sealer.open(row.secret_sealed);
      if (secret) this.settingsByCompany.set(row.company_id, { secret, enforce: row.enforce === 1, rotatedAt: row.rotated_at });
    }
  }

  /** The company's settings as its admins see them; the secret is made on first use. */
  async view(companyId: string): Promise<IdentitySettingsView> {
    const settings = this.settingsByCompany.get(companyId) ?? (await this.save(companyId, { secret: newIdentitySecret(), enforce: false }));
    return { secret: settings.secret, enforce: settings.enforce, rotated_at: settings.rotatedAt };
  }

  /** Requires verification, or rotates the secret (hashes and tokens made with the old one stop working at once). */
  async update(companyId: string, changes: { enforce?: boolean | undefined; rotateSecret?: boolean | undefined }): Promise<IdentitySettingsView> {
    const current = this.settingsByCompany.get(companyId);
    const settings = await this.save(companyId, {
      secret: changes.rotateSecret || !current ? newIdentitySecret() : current.secret,
      enforce: changes.enforce ?? current?.enforce ?? false,
      ...(current && !changes.rotateSecret ? { rotatedAt: current.rotatedAt } : {}),
    });
    return { secret: settings.secret, enforce: settings.enforce, rotated_at: settings.rotatedAt };
  }

  /** Checks a claim's hash or token against the company's secret. Never throws. */
  check(companyId: string, given: IdentityClaim): CheckedIdentity {
    // `1` and `"1"` are the same user: hashes, tokens and lookups all use the string form.
    const claim = { ...given, user_id: given.user_id === undefined ? undefined : userIdString(given.user_id) };
    const name = claim.name?.trim() || undefined;
    const email = claim.email?.trim() || undefined;
    const secret = this.settingsByCompany.get(companyId)?.secret;
    if (claim.token !== undefined) {
      const proof = secret ? verifyIdentityToken(claim.token, secret) : { ok: false as const, error: 'Identity verification is not set up for this site' };
      if (proof.ok && claim.user_id !== undefined && claim.user_id !== proof.userId) {
        return { userId: claim.user_id, name, email, verified: false, error: 'user_id does not match the token' };
      }
      if (proof.ok) return { userId: proof.userId, name: proof.name ?? name, email: proof.email ?? email, verified: true };
      return { userId: claim.user_id ?? proof.userId, name, email, verified: false, error: proof.error };
    }
    if (claim.hash !== undefined) {
      const proof = secret ? verifyIdentityHash(claim.user_id, claim.hash, secret) : { ok: false as const, error: 'Identity verification is not set up for this site' };
      if (proof.ok) return { userId: proof.userId, name, email, verified: true };
      return { userId: claim.user_id, name, email, verified: false, error: proof.error };
    }
    if (!claim.user_id) return { verified: false, error: 'An identity needs a user_id or a token' };
    return { userId: claim.user_id, name, email, verified: false };
  }

  /**
   * Identifies the visitor of `current` (or of a new connection, when undefined): checks the claim,
   * labels the conversation, and for a verified visitor moves them to their open conversation
   * when they have not started one here. Starts a conversation when there is none to be in.
   */
  async identify(company: Company, current: LiveConversation | undefined, claim: IdentityClaim, visitor: VisitorInfo = {}): Promise<IdentifyOutcome> {
    const identity = this.check(company.id, claim);
    if (!identity.verified && identity.userId && this.settingsByCompany.get(company.id)?.enforce) {
      identity.error = identity.error ?? 'This site only accepts verified identities';
      identity.userId = undefined;
    }
    if (!identity.verified || !identity.userId) {
      let conversation = current;
      let session: string | undefined;
      if (!conversation) ({ conversation, token: session } = await this.chat.start(company, visitor));
      if (identity.userId) await this.label(conversation, identity, false);
      return { identity, conversation, session, switched: false, created: !current };
    }
    return this.lanes.run(`${company.id}\u0000${identity.userId}`, () => this.identifyVerified(company, current, identity, visitor));
  }

  /** What agents see of a conversation's visitor; undefined for an anonymous one. */
  async identityOf(companyId: string, conversationId: string): Promise<VisitorIdentity | undefined> {
    const row = await this.statements.identityOf.get({ id: conversationId, company: companyId });
    return row ? toVisitorIdentity(row) : undefined;
  }

  private async identifyVerified(company: Company, current: LiveConversation | undefined, identity: CheckedIdentity, visitor: VisitorInfo): Promise<IdentifyOutcome> {
    const userId = identity.userId!;
    const here = current ? await this.statements.identityOf.get({ id: current.id, company: company.id }) : undefined;
    const hereIsTheirs = here?.identity_verified === 1 && here.identity_user_id === userId;
    const hereIsSomeoneElses = here?.identity_verified === 1 && here.identity_user_id !== userId;
    if (current && hereIsTheirs) {
      await this.label(current, identity, true);
      return { identity, conversation: current, switched: false, created: false };
    }
    const theirs = await this.statements.openOfUser.get({ company: company.id, user: userId });
    const target = theirs ? await this.conversations.get(theirs.id) : undefined;
    // An anonymous visitor who already talked keeps their conversation, which becomes theirs.
    const keepHere = current && !hereIsSomeoneElses && (!target || target.id === current.id || (await this.statements.visitorSpoke.get({ id: current.id })));
    if (current && keepHere) {
      await this.label(current, identity, true);
      return { identity, conversation: current, switched: false, created: false };
    }
    if (target && target.status !== 'closed') {
      const session = await this.addSession(target);
      await this.label(target, identity, true);
      return { identity, conversation: target, session, switched: current !== undefined, created: false };
    }
    const started = await this.chat.start(company, visitor);
    await this.label(started.conversation, identity, true);
    return { identity, conversation: started.conversation, session: started.token, switched: current !== undefined, created: true };
  }

  /** Records the identity on the conversation (never an unverified one over a verified one) and tells the agents. */
  private async label(conversation: LiveConversation, identity: CheckedIdentity, verified: boolean): Promise<void> {
    const { id, companyId } = conversation;
    const now = new Date().toISOString();
    const { identityOf, setIdentity } = this.statements;
    const changed = await this.writes.run(function* () {
      const row = yield* identityOf.get({ id, company: companyId });
      if (!verified && row?.identity_verified === 1) return false;
      yield* setIdentity.run({ id, company: companyId, user: identity.userId!, name: identity.name ?? null, email: identity.email ?? null, verified: verified ? 1 : 0, at: now });
      return true;
    }, { lock: id });
    if (changed) this.bus.publish(topics.company(companyId), { type: 'identified', conversationId: id, companyId, verified });
  }

  /** A new session token for another device of the conversation's verified visitor. */
  private async addSession(conversation: LiveConversation): Promise<string> {
    const token = randomBytes(24).toString('base64url');
    const now = new Date().toISOString();
    await this.writes.run(() => this.statements.addSession.run({ hash: hashToken(token), id: conversation.id, company: conversation.companyId, at: now }));
    return token;
  }

  private async save(companyId: string, input: { secret: string; enforce: boolean; rotatedAt?: string }): Promise<IdentitySettings> {
    const settings: IdentitySettings = { secret: input.secret, enforce: input.enforce, rotatedAt: input.rotatedAt ?? new Date().toISOString() };
    const row = { company_id: companyId, secret_sealed: this.sealer.seal(settings.secret), enforce: settings.enforce ? 1 : 0, rotated_at: settings.rotatedAt };
    await this.db
      .insertInto('identity_settings')
      .values(row)
      .onConflict((oc) => oc.column('company_id').doUpdateSet({ secret_sealed: row.secret_sealed, enforce: row.enforce, rotated_at: row.rotated_at }))
      .execute();
    this.settingsByCompany.set(companyId, settings);
    return settings;
  }
}

/** A stored identity as agents see it; undefined for an anonymous visitor. */
export function toVisitorIdentity(row: StoredIdentity): VisitorIdentity | undefined {
  if (!row.identity_user_id) return undefined;
  return {
    user_id: row.identity_user_id,
    name: row.identity_name,
    email: row.identity_email,
    verified: row.identity_verified === 1,
    identified_at: row.identified_at ?? '',
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Visitor identity: checking hashes and tokens, labelling conversations, following verified visitors across devices. */
    identity: IdentityService;
  }
}

export default fp(
  async (app) => {
    const identity = new IdentityService(app.database, app.writes, app.conversations, app.chat, app.bus, app.secrets.sealer('identity-secret'));
    await identity.load();
    // Another node (or the CLI) changed an identity secret: read them again.
    app.externalChanges.onChange(() => identity.load());
    app.decorate('identity', identity);
  },
  { name: 'identity', dependencies: ['database', 'secrets', 'conversations', 'chat', 'bus'] },
);
