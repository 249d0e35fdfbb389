import { describe, expect, it } from 'vitest';
import { startTestServer } from './helper.js';

describe('the server', () => {
  it('answers a URL it cannot decode in the documented error shape', async () => {
    const { http } = await startTestServer();
    const res = await fetch(`${http}/api/%zz`);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body).toMatchObject({ statusCode: 400, code: 'bad_request', error: 'Bad Request' });
  });
});
