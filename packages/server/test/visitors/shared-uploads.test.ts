import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AckFrame, ChatbotReply, ChatbotStartResponse, MessageFrame } from '@parley/protocol';
import { onCleanup, PNG_1PX, rawSql, startTestServer, TestSocket, texts } from '../helper.js';
import { addCompany, call, login, OWNER, SECRET } from '../agent-helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';

const hasPostgres = await requirePostgres();

/** What the flow answers a visitor who sends something that is not an image of theirs at the upload step. */
const NOT_AN_UPLOAD = 'Please upload an image with the button below.';

/**
 * Two app instances on one PostgreSQL database, as two nodes behind a load balancer, each with a
 * data folder of its own (no shared disk). Company Bravo is made on A before B starts, so both
 * know it (companies are read at start).
 */
async function twoNodes() {
  const database = await createTestDatabase('upload_nodes');
  onCleanup(() => database.drop());
  const options = { databaseUrl: database.url, adminEmail: OWNER.email, adminPassword: OWNER.password, secret: SECRET };
  // One after the other: the first migrates and seeds, the second finds it done.
  const a = await startTestServer(options);
  const bravo = await addCompany(a.app, a.http, 'Bravo');
  const b = await startTestServer(options);
  return { a, b, bravo };
}

/** Starts a conversation over HTTP on `http` and walks the demo flow to its upload step. */
async function atUploadStep(http: string, site?: string): Promise<string> {
  const start = (await (await fetch(`${http}/api/chatbot${site ? `?site=${site}` : ''}`)).json()) as ChatbotStartResponse;
  for (const message of ['yes', '1234567', '123456', 'damaged', '1']) await chatbot(http, start.chatbot_session, message);
  return start.chatbot_session;
}

/** One visitor message over the HTTP API; the bot's texts. */
async function chatbot(http: string, session: string, message: string): Promise<string[]> {
  const res = await fetch(`${http}/api/chatbot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message, chatbot_session: session }) });
  return texts(((await res.json()) as ChatbotReply).BOT.components);
}

/** Uploads through the route the widget uses (multipart, the session as a form field); the image's URL. */
async function upload(http: string, session: string, image: Buffer): Promise<string> {
  const form = new FormData();
  form.set('chatbot_session', session);
  form.set('image', new Blob([image], { type: 'image/png' }), 'damage.png');
  const res = await fetch(`${http}/api/upload-image/`, { method: 'POST', body: form });
  expect(res.status).toBe(200);
  return ((await res.json()) as { uploaded_image_url: string }).uploaded_image_url;
}

/** A PNG of some size, different every time: its bytes say PNG, the rest is noise. */
function photo(): Buffer {
  return Buffer.concat([PNG_1PX, randomBytes(300_000)]);
}

/** The headers an image is served with, minus those that change per response. */
function servedHeaders(res: Response): Record<string, string> {
  const { date: _date, connection: _connection, 'keep-alive': _keepAlive, ...rest } = Object.fromEntries(res.headers);
  return rest;
}

describe.skipIf(!hasPostgres)('uploads on two nodes of one PostgreSQL database', () => {
  it('serves an image uploaded through node A from node B, byte for byte, and the flow on B takes its URL', async () => {
    const { a, b } = await twoNodes();
    const session = await atUploadStep(a.http);
    const image = photo();
    const url = await upload(a.http, session, image);
    const path = new URL(url).pathname;

    const fromB = await fetch(`${b.http}${path}`);
    expect(fromB.status).toBe(200);
    expect(fromB.headers.get('content-type')).toBe('image/png');
    expect(fromB.headers.get('content-length')).toBe(String(image.length));
    expect(Buffer.from(await fromB.arrayBuffer()).equals(image)).toBe(true);
    // The same headers as from the node that took it in: type, length, nosniff, sandbox, caching.
    const fromA = await fetch(`${a.http}${path}`);
    expect(Buffer.from(await fromA.arrayBuffer()).equals(image)).toBe(true);
    expect(servedHeaders(fromB)).toEqual(servedHeaders(fromA));
    expect(servedHeaders(fromB)).toMatchObject({
      'x-content-type-options': 'nosniff',
      'content-disposition': 'inline',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'cross-origin',
      'cache-control': 'private, max-age=31536000, immutable',
    });
    // Nothing on either node's disk: the database holds the bytes.
    for (const node of [a, b]) expect(existsSync(join(node.app.config.dataDir, 'uploads'))).toBe(false);

    // The visitor's next message lands on B, which never saw the upload: its flow looks it up.
    expect(await chatbot(b.http, session, url)).toEqual(['Please enter the Damaged Quantity']);
  });

  it("answers another company's visitor, and company paths, as it answers an unknown id", async () => {
    const { a, b, bravo } = await twoNodes();
    const acmeSession = await atUploadStep(a.http);
    const acmeUrl = await upload(a.http, acmeSession, photo());
    const id = new URL(acmeUrl).pathname.split('/').pop()!;
    const acme = a.app.companies.defaultCompany().id;

    const unknown = await fetch(`${b.http}/uploads/${'A'.repeat(22)}`);
    expect(unknown.status).toBe(404);
    const unknownBody = await unknown.json();
    expect(unknownBody).toMatchObject({ code: 'not_found', message: 'Upload not found' });
    // The id under a company's folder, as the files are laid out on SQLite: never the bytes.
    for (const path of [`${acme}%2F${id}`, `${bravo.company.id}%2F${id}`, `..%2F${acme}%2F${id}`]) {
      const res = await fetch(`${b.http}/uploads/${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual(unknownBody);
    }
    const nested = await fetch(`${b.http}/uploads/${acme}/${id}`);
    expect(nested.status).toBe(404);
    expect(nested.headers.get('content-type')).not.toMatch(/^image\//);

    // Bravo's visitor, at the same step on node B, cannot take Acme's image into their
    // conversation: the flow answers as for an unknown id, and asks again.
    const bravoSession = await atUploadStep(b.http, bravo.company.siteKey);
    expect((await chatbot(b.http, bravoSession, `${a.http}/uploads/${'A'.repeat(22)}`))[0]).toBe(NOT_AN_UPLOAD);
    expect((await chatbot(b.http, bravoSession, acmeUrl))[0]).toBe(NOT_AN_UPLOAD);
    // Their own image, uploaded through A, is theirs to send.
    const bravoUrl = await upload(a.http, bravoSession, photo());
    expect(await chatbot(b.http, bravoSession, bravoUrl)).toEqual(['Please enter the Damaged Quantity']);
  });

  it('removes the bytes for both nodes when the conversation is erased', async () => {
    const { a, b } = await twoNodes();
    const gone = await atUploadStep(a.http);
    const kept = await atUploadStep(a.http);
    const goneUrl = new URL(await upload(a.http, gone, photo())).pathname;
    const keptUrl = new URL(await upload(a.http, kept, photo())).pathname;
    const goneId = goneUrl.split('/').pop()!;
    const conversation = (await rawSql<{ id: string }>(a.app, 'SELECT conversation_id AS id FROM uploads WHERE id = ?', goneId))[0]!.id;
    expect((await fetch(`${b.http}${goneUrl}`)).status).toBe(200);

    const owner = await login(b.http, OWNER.email, OWNER.password);
    expect((await call(b.http, 'DELETE', `/api/chats/${conversation}`, { token: owner.token })).status).toBe(204);

    const unknown = await (await fetch(`${b.http}/uploads/${'A'.repeat(22)}`)).json();
    for (const node of [a, b]) {
      const res = await fetch(`${node.http}${goneUrl}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual(unknown);
      expect((await fetch(`${node.http}${keptUrl}`)).status).toBe(200);
    }
    const [left] = await rawSql<{ n: number }>(a.app, 'SELECT count(*) AS n FROM upload_blobs WHERE upload_id = ?', goneId);
    expect(left!.n).toBe(0);
  });
});

describe.skipIf(!hasPostgres)('uploads taken in before their bytes moved to the database', () => {
  it('are still served from the data folder of the node that has them, and unlinked on erasure', async () => {
    const { a, b } = await twoNodes();
    const session = await atUploadStep(a.http);
    const image = photo();
    const path = new URL(await upload(a.http, session, image)).pathname;
    const id = path.split('/').pop()!;
    // As an upload of the earlier release was kept: a file on the node, no bytes in the database.
    const [row] = await rawSql<{ company_id: string; conversation_id: string }>(a.app, 'SELECT company_id, conversation_id FROM uploads WHERE id = ?', id);
    await rawSql(a.app, 'DELETE FROM upload_blobs WHERE upload_id = ?', id);
    const file = join(a.app.config.dataDir, 'uploads', row!.company_id, id);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, image);

    const fromA = await fetch(`${a.http}${path}`);
    expect(fromA.status).toBe(200);
    expect(fromA.headers.get('content-length')).toBe(String(image.length));
    expect(Buffer.from(await fromA.arrayBuffer()).equals(image)).toBe(true);
    expect((await fetch(`${b.http}${path}`)).status).toBe(404);

    const owner = await login(a.http, OWNER.email, OWNER.password);
    expect((await call(a.http, 'DELETE', `/api/chats/${row!.conversation_id}`, { token: owner.token })).status).toBe(204);
    expect(existsSync(file)).toBe(false);
  });
});

describe.skipIf(!hasPostgres)('the widget on two nodes', () => {
  it('sends the URL of an image uploaded through node A as an action on its socket to node B', async () => {
    const { a, b } = await twoNodes();
    const socket = await TestSocket.open(b.ws);
    socket.send({ type: 'hello' });
    const welcome = await socket.nextOf<{ type: 'welcome'; session: string }>('welcome');
    const turn = async (id: string, value: string) => {
      socket.send({ type: 'action', id, value });
      await socket.next((f) => f.type === 'ack' && (f as AckFrame).id === id);
      return texts((await socket.next<MessageFrame>((f) => f.type === 'message' && (f as MessageFrame).message.role === 'bot')).message.components);
    };
    await socket.next((f) => f.type === 'message');
    for (const [i, value] of ['yes', '1234567', '123456', 'damaged', '1'].entries()) await turn(`s${i}`, value);
    const url = await upload(a.http, welcome.session, photo());
    expect(await turn('image', url)).toEqual(['Please enter the Damaged Quantity']);
  });
});
