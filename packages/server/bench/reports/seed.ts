import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { LiveConversation } from '../../src/conversations/conversations.js';
import { initialState } from '../../src/flows/index.js';
import { InsightsRecorder } from '../../src/insights/index.js';
import { perform, runNow } from '../../src/db/step.js';

/** What the seed made. */
export interface Seeded {
  companyId: string;
  conversations: number;
  messages: number;
  seconds: number;
}

const DAY = 86_400_000;

/** A small, fast, repeatable random number generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fills the default company with `conversations` conversations of `perConversation` messages each,
 * spread over the last `days` days, with the outcomes a shop sees: a third end in the bot, a third
 * are handed to one of five agents (most answered, most of those resolved), the rest stop in the
 * flow; a share are rated. The rollups are written by the same recorder as the chat's writes.
 */
export async function seedReports(app: FastifyInstance, options: { conversations?: number; perConversation?: number; days?: number; now?: number } = {}): Promise<Seeded> {
  const started = Date.now();
  const total = options.conversations ?? 100_000;
  const perConversation = options.perConversation ?? 10;
  const days = options.days ?? 90;
  const now = options.now ?? Date.now();
  const company = app.companies.defaultCompany();
  const flow = app.flows.active(company.id)!;
  const agents: string[] = [];
  for (let i = 1; i <= 5; i++) {
    const user = await app.users.create(company.id, { email: `agent${i}@seed.test`, name: `Agent ${i}`, password: `agent-${i}-password`, role: 'agent' });
    agents.push(user.id);
  }
  const sqlite = app.sqlite;
  const recorder = new InsightsRecorder(app.database);
  const rand = random(42);
  const insertConversation = sqlite.prepare(
    `INSERT INTO conversations (id, company_id, session_hash, flow_id, status, flow_state, last_seq, is_terminal, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = sqlite.prepare(
    `INSERT INTO messages (conversation_id, company_id, seq, role, components, text, author_id, author_name, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertRating = sqlite.prepare(
    `INSERT INTO conversation_ratings (conversation_id, company_id, scale, score, comment, agent_id, created_at, conversation_created_ms) VALUES (?, ?, 'five', ?, ?, ?, ?, ?)`,
  );
  const leadPath = ['welcome', 'name', 'email', 'phone', 'lead', 'welcome_new'];
  const accountPath = ['welcome', 'account', 'otp', 'menu', 'products', 'product_card'];
  const comments = ['Quick and helpful', 'Took too long', 'The bot did not understand me', 'Great service, thanks!', 'OK'];
  const batch = 5_000;
  let messages = 0;
  for (let offset = 0; offset < total; offset += batch) {
    sqlite.transaction(() => {
      for (let i = offset; i < Math.min(total, offset + batch); i++) {
        // Busier on weekdays and in the afternoon: two random draws bias the hour.
        const created = now - Math.floor(rand() * days * DAY);
        const createdAt = new Date(created).toISOString();
        const id = randomUUID();
        const roll = rand();
        const outcome = roll < 0.35 ? 'bot' : roll < 0.7 ? 'handoff' : 'abandoned';
        const path = (rand() < 0.5 ? leadPath : accountPath).slice(0, outcome === 'bot' ? 6 : 1 + Math.floor(rand() * 4));
        const ended = outcome === 'bot' && path[5] === 'welcome_new';
        // The state carries what the funnel counted of the greeting's steps, as a live start's does.
        const state = initialState();
        recorder.beginFunnel(state, path);
        insertConversation.run(id, company.id, `seed-${i}`, flow.id, outcome === 'handoff' ? 'resolved' : 'bot', JSON.stringify(state), perConversation, ended ? 1 : 0, createdAt, createdAt);
        const live = { id, companyId: company.id, flowId: flow.id, createdAt, status: 'bot' } as LiveConversation;
        runNow(perform(recorder.started(live, path, ended)));
        const agent = agents[Math.floor(rand() * agents.length)]!;
        for (let seq = 1; seq <= perConversation; seq++) {
          const role = seq % 2 === 1 ? 'user' : outcome === 'handoff' && seq > perConversation / 2 ? 'agent' : 'bot';
          const text = role === 'user' ? `Visitor message ${seq} about order ${i}` : `Reply ${seq}`;
          insertMessage.run(id, company.id, seq, role, JSON.stringify([{ type: 'text', payload: { text } }]), text, role === 'agent' ? agent : null, role === 'agent' ? 'Agent' : null, new Date(created + seq * 20_000).toISOString());
          messages++;
        }
        let rated = false;
        if (outcome === 'handoff') {
          const handoff = created + 60_000;
          runNow(recorder.handedOff(id, handoff));
          if (rand() < 0.85) runNow(recorder.recorded(live, [{ role: 'agent', components: [], authorId: agent }], handoff + Math.floor(rand() * rand() * 900_000)));
          if (rand() < 0.75) {
            runNow(recorder.resolved(id, agent, handoff + 60_000 + Math.floor(rand() * 3_600_000)));
            rated = rand() < 0.5;
          }
        } else if (ended) rated = rand() < 0.2;
        if (rated) {
          const score = 1 + Math.min(4, Math.floor(rand() * rand() * 5 + rand() * 2.5));
          const comment = rand() < 0.3 ? comments[Math.floor(rand() * comments.length)]! : null;
          insertRating.run(id, company.id, score, comment, outcome === 'handoff' ? agent : null, new Date(created + 3_600_000).toISOString(), created);
          runNow(recorder.rated(id, score));
        }
      }
    })();
  }
  return { companyId: company.id, conversations: total, messages, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
