import WebSocket from 'ws';
import type { VisitorServerFrame } from '@parley/protocol';
import type { Visitor } from './e2e/visitor-page.js';

type Frame = VisitorServerFrame;

/**
 * A visitor over a raw WebSocket (`/ws`), as the widget would be: says hello, sends messages,
 * typing and hand-off frames, and lets a test wait for the frames it expects.
 */
export class RawVisitor implements Visitor {
  readonly frames: Frame[] = [];
  private cursor = 0;
  private wake: (() => void) | undefined;
  private seq = 0;
  conversationId = '';
  session = '';

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      this.wake?.();
    });
  }

  /** Connects and waits for `welcome`. */
  static async connect(wsUrl: string, origin?: string): Promise<RawVisitor> {
    const socket = new WebSocket(`${wsUrl}/ws`, origin ? { headers: { origin } } : {});
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const visitor = new RawVisitor(socket);
    visitor.send({ type: 'hello' });
    const welcome = await visitor.next((f) => f.type === 'welcome');
    visitor.conversationId = (welcome as Extract<Frame, { type: 'welcome' }>).conversation_id;
    visitor.session = (welcome as Extract<Frame, { type: 'welcome' }>).session;
    return visitor;
  }

  send(frame: Record<string, unknown>): void {
    this.socket.send(JSON.stringify(frame));
  }

  /** Sends a message and resolves with its stored `seq` (from the server's ack). */
  async say(text: string): Promise<number> {
    const id = `v${++this.seq}${Date.now().toString(36)}`;
    this.send({ type: 'message', id, text });
    const ack = (await this.next((f) => f.type === 'ack' && f.id === id)) as Extract<Frame, { type: 'ack' }>;
    return ack.seq;
  }

  /** Sends a message (`text`) or a click (`action`) and waits for the bot's answer. */
  async turn(kind: 'text' | 'action', value: string): Promise<Extract<Frame, { type: 'message' }>> {
    const id = `t${++this.seq}${Date.now().toString(36)}`;
    this.send(kind === 'text' ? { type: 'message', id, text: value } : { type: 'action', id, value });
    const ack = (await this.next((f) => f.type === 'ack' && f.id === id)) as Extract<Frame, { type: 'ack' }>;
    return (await this.next((f) => f.type === 'message' && f.message.role === 'bot' && f.message.seq > ack.seq)) as Extract<Frame, { type: 'message' }>;
  }

  askForPerson(): void {
    this.send({ type: 'handoff', id: `h${++this.seq}${Date.now().toString(36)}` });
  }

  typing(on: boolean): void {
    this.send({ type: 'typing', on });
  }

  /** The next frame (after those already taken) that matches. */
  async next(match: (frame: Frame) => boolean, timeoutMs = 8000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const frame = this.frames[this.cursor++]!;
        if (match(frame)) return frame;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`visitor timed out; frames: ${JSON.stringify(this.frames.slice(-8)).slice(0, 1500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Waits for a message whose text components contain `text`. */
  async message(text: string, role?: string): Promise<Extract<Frame, { type: 'message' }>> {
    return (await this.next(
      (f) => f.type === 'message' && (!role || f.message.role === role) && JSON.stringify(f.message.components).includes(text),
    )) as Extract<Frame, { type: 'message' }>;
  }

  /** Typing without sending: the agent should see it. */
  async type(): Promise<void> {
    this.typing(true);
  }

  /** Waits for a message from the agent or the bot containing `text`. */
  async waitForText(text: string): Promise<void> {
    await this.message(text);
  }

  async waitForAgentJoined(): Promise<void> {
    await this.next((f) => f.type === 'state' && f.status === 'agent');
  }

  async waitForAgentTyping(): Promise<void> {
    await this.next((f) => f.type === 'typing' && f.role === 'agent' && f.on);
  }

  close(): void {
    this.socket.close();
  }
}
