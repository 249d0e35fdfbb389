import { describe, expect, it } from 'vitest';
import { TypingTracker } from './typing-tracker.js';

describe('typing tracker', () => {
  it('tracks the visitor and named agents, and forgets a "typing" never switched off', async () => {
    let changes = 0;
    const typing = new TypingTracker(() => changes++, 30);
    typing.set('c1', 'user', true);
    typing.set('c1', 'agent', true, 'Bo');
    typing.set('c1', 'agent', true, 'Cy');
    expect(typing.get('c1')).toEqual({ visitor: true, agents: ['Bo', 'Cy'] });
    typing.set('c1', 'agent', false, 'Bo');
    expect(typing.get('c1')).toEqual({ visitor: true, agents: ['Cy'] });
    expect(typing.get('c2')).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(typing.get('c1')).toEqual({ visitor: false, agents: [] });
    expect(changes).toBeGreaterThanOrEqual(6);
    typing.clear();
  });
});
