import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestServer } from '../helper.js';
import { OWNER, SECRET, call, is, login, openAgent, openVisitor } from '../agent-helper.js';
import { createTestDatabase, requirePostgres, servicesRequired } from '../db/postgres-helper.js';
import { redisScope, redisUrl } from '../core/redis-support.js';
import { until } from '../support/until.js';

/*
 * The nginx configuration the docs ship (deploy/nginx.conf) in front of two real nodes on one
 * PostgreSQL database and one Redis: only its upstream list and its port are rewritten for
 * loopback. Sign-in, the visitor's socket and the agent's socket all go through nginx.
 */

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => spawnSync(path, ['-v']).status === 0);
if (!NGINX && servicesRequired()) throw new Error('nginx is required here (CI or PARLEY_REQUIRE_SERVICES=1): apt-get install nginx-light (see .ci/run)');
const hasPostgres = await requirePostgres();
const shipped = readFileSync(fileURLToPath(new URL('../../../../deploy/nginx.conf', import.meta.url)), 'utf8');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** deploy/nginx.conf with the nodes' loopback ports as its upstream and `port` to listen on. */
function configFor(nodePorts: number[], port: number): string {
  const upstream = /^\s*server parley:3000([^;]*);$/m;
  expect(shipped).toMatch(upstream);
  expect(shipped).toMatch(/^\s*listen 80;$/m);
  return shipped
    .replace(upstream, (_line, options: string) => nodePorts.map((p) => `    server 127.0.0.1:${p}${options};`).join('\n'))
    .replace(/^\s*listen 80;$/m, `    listen 127.0.0.1:${port};`);
}

async function startNginx(nodePorts: number[]): Promise<string> {
  const prefix = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  const port = await freePort();
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, configFor(nodePorts, port));
  const child = spawn(NGINX!, ['-p', prefix, '-c', conf, '-e', 'stderr', '-g', `daemon off; pid ${join(prefix, 'nginx.pid')};`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  onCleanup(async () => {
    child.kill('SIGQUIT');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(prefix, { recursive: true, force: true });
  });
  const http = `http://127.0.0.1:${port}`;
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${errors}`);
    return (await fetch(`${http}/livez`).catch(() => undefined))?.ok;
  }, 'nginx answers');
  return http;
}

describe.skipIf(!NGINX || !hasPostgres)('deploy/nginx.conf in front of two nodes', () => {
  it('signs in, carries the visitor and agent sockets, and spreads the requests over both nodes', async () => {
    const database = await createTestDatabase('nginx');
    onCleanup(() => database.drop());
    const scope = redisScope();
    onCleanup(scope.cleanup);
    const options = { databaseUrl: database.url, redisUrl, redisPrefix: scope.prefix, secret: SECRET, adminEmail: OWNER.email, adminPassword: OWNER.password, trustProxy: true };
    const nodes = [await startTestServer(options), await startTestServer(options)];
    const requests = nodes.map(() => 0);
    nodes.forEach(({ app }, i) => app.server.on('request', () => requests[i]!++));
    const http = await startNginx(nodes.map(({ http: url }) => Number(new URL(url).port)));
    const ws = http.replace('http', 'ws');

    const owner = await login(http, OWNER.email, OWNER.password);
    const agent = await openAgent(`${ws}/ws/agent`, owner.token);
    const visitor = await openVisitor(`${ws}/ws`);
    const id = visitor.welcome.conversation_id;
    visitor.socket.send({ type: 'message', id: 'through-nginx', text: 'Hello from behind nginx' });
    await visitor.socket.nextOf('ack');
    const seen = await agent.socket.next((f) => f.type === 'message' && JSON.stringify(f).includes(id) && JSON.stringify(f).includes('Hello from behind nginx'));
    expect(seen).toBeDefined();

    for (let i = 0; i < 8; i++) expect((await call(http, 'GET', '/api/chats', { token: owner.token })).status).toBe(200);
    const listed = await call(http, 'GET', `/api/chats/${id}`, { token: owner.token });
    expect(listed.body.chat.visitor).toMatchObject({ ip: '127.0.0.1', online: true });
    expect(requests.every((n) => n > 0)).toBe(true);
    // The agent's reply travels back through nginx to the visitor's socket.
    expect((await call(http, 'POST', `/api/chats/${id}/claim`, { token: owner.token, body: {} })).status).toBe(200);
    expect((await call(http, 'POST', `/api/chats/${id}/messages`, { token: owner.token, body: { text: 'Hi, I am here' } })).status).toBe(201);
    await visitor.socket.next((f) => is.messageWithRole('agent')(f) && JSON.stringify(f).includes('Hi, I am here'));
  });
});
