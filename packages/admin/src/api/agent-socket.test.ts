import { describe, expect, it } from 'vitest';
import { HandSocket } from '../../test/hand-socket.js';
import { AgentSocket, type SocketState } from './agent-socket.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function socket(extra: Partial<ConstructorParameters<typeof AgentSocket>[0]> = {}) {
  HandSocket.reset();
  const states: SocketState[] = [];
  const agent = new AgentSocket({
    url: 'ws://x/ws/agent',
    token: () => 'jwt',
    onFrame: () => undefined,
    onState: (s) => states.push(s),
    WebSocket: HandSocket,
    minDelayMs: 5,
    maxDelayMs: 20,
    ...extra,
  });
  return { agent, states };
}

describe('agent socket', () => {
  it('sends the token, reconnects after a drop, and sends nothing while down', async () => {
    const { agent, states } = socket();
    agent.start();
    expect(HandSocket.made[0]!.url).toBe('ws://x/ws/agent?token=jwt');
    HandSocket.made[0]!.accept();
    expect(agent.send({ type: 'typing', conversation_id: 'c', on: true })).toBe(true);
    HandSocket.made[0]!.drop(1006);
    expect(agent.send({ type: 'typing', conversation_id: 'c', on: false })).toBe(false);
    await wait(40);
    expect(HandSocket.made).toHaveLength(2);
    HandSocket.made[1]!.accept();
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    agent.stop();
  });

  it('stops for good when the server says the token is no longer valid (4401)', async () => {
    let unauthorized = 0;
    const { agent, states } = socket({ onUnauthorized: () => unauthorized++ });
    agent.start();
    HandSocket.made[0]!.accept();
    HandSocket.made[0]!.drop(4401);
    await wait(40);
    expect(unauthorized).toBe(1);
    expect(HandSocket.made).toHaveLength(1);
    expect(states.at(-1)).toBe('closed');
  });

  it('replaces a connection still opening when asked to retry now, leaving none behind', async () => {
    const { agent } = socket();
    agent.start();
    HandSocket.made[0]!.drop(1006);
    await wait(40);
    agent.start();
    expect(HandSocket.made[1]!.closedWith).toBe(1000);
    HandSocket.made[2]!.accept();
    expect(agent.state).toBe('open');
    agent.stop();
    expect(HandSocket.made[2]!.closedWith).toBe(1000);
  });
});
