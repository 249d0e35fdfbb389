import type { FastifyInstance } from 'fastify';
import type { AgentServerFrame, LoginResponse, VisitorServerFrame, WelcomeFrame } from '@parley/protocol';
import { onboardCompany } from '../src/companies/onboarding.js';
import type { ParleyOptions } from '../src/config.js';
import { startTestServer, TestSocket } from './helper.js';

/** Owner credentials every agent test server starts with. */
export const OWNER = { email: 'owner@acme.test', password: 'owner-password-1' };
/** A fixed signing secret, so tests can forge tokens the way an attacker would try. */
export const SECRET = 'test-secret-0123456789-abcdefghijklmnop';

/** A server listening on loopback with a known owner and secret. */
export async function startAgentServer(options: ParleyOptions = {}) {
  const server = await startTestServer({ adminEmail: OWNER.email, adminPassword: OWNER.password, secret: SECRET, ...options });
  return { ...server, agentWs: server.ws.replace(/\/ws$/, '/ws/agent') };
}

/** The answer of one JSON API call. */
export interface ApiAnswer<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the HTTP API with a bearer token (or none) and reads the JSON (or text) answer. */
export async function call<T = any>(
  http: string,
  method: string,
  path: string,
  options: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${http}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, body: (isJson && text ? JSON.parse(text) : text) as T, headers: response.headers };
}

/** Signs in and returns the token and user. */
export async function login(http: string, email: string, password: string): Promise<LoginResponse> {
  const answer = await call<LoginResponse>(http, 'POST', '/api/auth/login', { body: { email, password } });
  if (answer.status !== 200) throw new Error(`login ${email}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Adds a company with an admin (and the demo bot), signs the admin in. */
export async function addCompany(app: FastifyInstance, http: string, name: string) {
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '');
  const admin = { email: `admin@${slug}.test`, name: `${name} Admin`, password: `${slug}-password-1` };
  const { company, apiKey } = await onboardCompany(app, { name, admin });
  const session = await login(http, admin.email, admin.password);
  return { company, apiKey, admin, token: session.token, user: session.user };
}

/** Adds an agent to a company and signs them in. */
export async function addAgent(app: FastifyInstance, http: string, companyId: string, name: string, role: 'agent' | 'admin' = 'agent') {
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@agents.test`;
  const password = `${name}-password-1`;
  await app.users.create(companyId, { email, name, password, role });
  const session = await login(http, email, password);
  return { email, password, token: session.token, user: session.user };
}

type AnyFrame = AgentServerFrame | VisitorServerFrame | { type: string; [key: string]: unknown };

/** Opens an agent socket and waits for its `ready` frame. */
export async function openAgent(agentWs: string, token: string, headers: Record<string, string> = {}) {
  const socket = await TestSocket.open(`${agentWs}?token=${encodeURIComponent(token)}`, headers);
  const ready = await socket.nextOf<Extract<AgentServerFrame, { type: 'ready' }>>('ready');
  return { socket, ready };
}

/** Opens a visitor socket on a site (default company when no key) and says hello. */
export async function openVisitor(ws: string, siteKey?: string, session?: string) {
  const socket = await TestSocket.open(siteKey ? `${ws}?site=${siteKey}` : ws);
  socket.send({ type: 'hello', ...(session ? { session } : {}) });
  const welcome = await socket.nextOf<WelcomeFrame>('welcome');
  return { socket, welcome };
}

/** Frame predicates for readable waits. */
export const is = {
  type:
    (type: string, extra: Record<string, unknown> = {}) =>
    (frame: AnyFrame) =>
      frame.type === type && Object.entries(extra).every(([k, v]) => (frame as Record<string, unknown>)[k] === v),
  messageWithRole: (role: string) => (frame: AnyFrame) =>
    frame.type === 'message' && (frame as { message: { role: string } }).message.role === role,
  chat: (id: string, status?: string) => (frame: AnyFrame) =>
    frame.type === 'conversation' &&
    (frame as { chat: { id: string; status: string } }).chat.id === id &&
    (status === undefined || (frame as { chat: { status: string } }).chat.status === status),
};
