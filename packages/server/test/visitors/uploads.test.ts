import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ChatbotReply, ChatbotStartResponse } from '@parley/protocol';
import { buildTestServer, PNG_1PX, texts } from '../helper.js';

/** A multipart body built by hand, as a browser would send it. */
function multipart(parts: Array<{ name: string; value: Buffer | string; filename?: string; type?: string }>) {
  const boundary = '----parleytest' + Math.random().toString(16).slice(2);
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}\r\n`;
    chunks.push(Buffer.from(head), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function damagedProductStep(app: FastifyInstance): Promise<string> {
  const start = (await app.inject({ method: 'GET', url: '/api/chatbot' })).json<ChatbotStartResponse>();
  for (const message of ['yes', '1234567', '123456', 'damaged', '1']) {
    await app.inject({ method: 'POST', url: '/api/chatbot', payload: { message, chatbot_session: start.chatbot_session } });
  }
  return start.chatbot_session;
}

function upload(app: FastifyInstance, session: string | undefined, file: Buffer, filename = 'photo.png', type = 'image/png') {
  const parts: Array<{ name: string; value: Buffer | string; filename?: string; type?: string }> = [{ name: 'image', value: file, filename, type }];
  if (session) parts.unshift({ name: 'chatbot_session', value: session });
  return app.inject({ method: 'POST', url: '/api/upload-image/', ...multipart(parts) });
}

describe('image uploads', () => {
  it('stores a real image, serves it with its true type, and the flow takes its URL', async () => {
    const app = await buildTestServer();
    const session = await damagedProductStep(app);
    const res = await upload(app, session, PNG_1PX, 'evil.html', 'text/html');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.message).toBe('Image uploaded successfully.');
    expect(body.uploaded_image_url).toMatch(/^http:\/\/localhost(:\d+)?\/uploads\/[A-Za-z0-9_-]{22}$/);

    const path = new URL(body.uploaded_image_url).pathname;
    const served = await app.inject({ method: 'GET', url: path });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(served.rawPayload.equals(PNG_1PX)).toBe(true);

    const next = await app.inject({ method: 'POST', url: '/api/chatbot', payload: { message: body.uploaded_image_url, chatbot_session: session } });
    expect(texts(next.json<ChatbotReply>().BOT.components)).toEqual(['Please enter the Damaged Quantity']);
    const stored = await app.db.selectFrom('messages').select('components').where('role', '=', 'user').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(stored.components)).toEqual([{ type: 'image', payload: { url: path, alt: 'Uploaded image' } }]);
  });

  it('takes the session from the cookie', async () => {
    const app = await buildTestServer();
    const session = await damagedProductStep(app);
    const { payload, headers } = multipart([{ name: 'image', value: PNG_1PX, filename: 'a.png', type: 'image/png' }]);
    const res = await app.inject({ method: 'POST', url: '/api/upload-image', payload, headers, cookies: { parley_session: session } });
    expect(res.statusCode).toBe(200);
  });

  it('accepts jpeg, gif and webp by their bytes and refuses anything else with 415', async () => {
    const app = await buildTestServer();
    const session = await damagedProductStep(app);
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]);
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    const webp = Buffer.concat([Buffer.from('RIFF'), Buffer.from([4, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
    for (const [file, type] of [[jpeg, 'image/jpeg'], [gif, 'image/gif'], [webp, 'image/webp']] as const) {
      const res = await upload(app, session, file);
      expect(res.statusCode).toBe(200);
      const served = await app.inject({ method: 'GET', url: new URL(res.json().uploaded_image_url).pathname });
      expect(served.headers['content-type']).toBe(type);
    }
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const file of [svg, Buffer.from('%PDF-1.7'), Buffer.from('just text')]) {
      const res = await upload(app, session, file, 'x.png', 'image/png');
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ statusCode: 415, code: 'unsupported_media_type', message: 'Only PNG, JPEG, GIF and WebP images are accepted' });
    }
    const json = await app.inject({ method: 'POST', url: '/api/upload-image/', payload: { image: 'x' } });
    expect(json.statusCode).toBe(415);
  });

  it('refuses an image over the size cap with 413 and stores nothing', async () => {
    const app = await buildTestServer({ limits: { maxUploadBytes: 1024 } });
    const session = await damagedProductStep(app);
    const big = Buffer.concat([PNG_1PX, Buffer.alloc(2048)]);
    const res = await upload(app, session, big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'payload_too_large' });
    const rows = await app.db.selectFrom('uploads').selectAll().execute();
    expect(rows).toHaveLength(0);
  });

  it('answers a malformed multipart body with 400, not a server error', async () => {
    const app = await buildTestServer();
    const bodies: Array<[string, string]> = [
      ['multipart/form-data', '--x\r\n\r\n'],
      ['multipart/form-data; boundary=x', '{'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\nab'],
    ];
    for (const [type, payload] of bodies) {
      const res = await app.inject({ method: 'POST', url: '/api/upload-image/', headers: { 'content-type': type }, payload });
      expect(res.statusCode, `${type} ${payload}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'bad_request', message: 'The multipart body is malformed' });
    }
  });

  it('refuses uploads without a known session, and images from another conversation in the flow', async () => {
    const app = await buildTestServer();
    expect((await upload(app, undefined, PNG_1PX)).statusCode).toBe(400);
    expect((await upload(app, 'C'.repeat(32), PNG_1PX)).statusCode).toBe(404);

    const mine = await damagedProductStep(app);
    const theirs = await damagedProductStep(app);
    const theirUrl = (await upload(app, theirs, PNG_1PX)).json().uploaded_image_url;
    const reply = await app.inject({ method: 'POST', url: '/api/chatbot', payload: { message: theirUrl, chatbot_session: mine } });
    expect(reply.json<ChatbotReply>().BOT.components[0]).toEqual({ type: 'error', payload: { text: 'Please upload an image with the button below.' } });
  });

  it('answers unknown or malformed upload ids with 404, never a file from elsewhere', async () => {
    const app = await buildTestServer();
    for (const url of ['/uploads/AAAAAAAAAAAAAAAAAAAAAA', '/uploads/..%2F..%2Fparley.sqlite']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
    }
    // URL parsing turns `/uploads/%2e%2e` into `/` (the demo page): whatever answers, never an upload.
    const dots = await app.inject({ method: 'GET', url: '/uploads/%2e%2e' });
    expect(dots.headers['content-type']).not.toMatch(/^image\//);
    expect(dots.body).not.toContain('SQLite format');
  });
});
