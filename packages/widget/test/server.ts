import { LoopbackServer } from '../../server/test/support/loopback.js';

export { MemoryStorage } from '../../server/test/support/memory-storage.js';
export { until } from '../../server/test/support/until.js';

/**
 * A real Parley server on loopback with its own temporary data folder, which can be stopped and
 * started again on the same port and data (a restart in the middle of a conversation).
 */
export class TestServer extends LoopbackServer {
  constructor(host = '127.0.0.1') {
    super(host, {}, 'parley-widget-');
  }

  /** The stored messages of a session, straight from the HTTP API. */
  async history(session: string): Promise<Array<{ seq: number; role: string; client_id?: string; components: Array<{ type: string; payload: Record<string, unknown> }> }>> {
    const response = await fetch(`${this.url}/api/chatbot/messages?chatbot_session=${session}`);
    const body = (await response.json()) as { messages: never[] };
    return body.messages;
  }
}
