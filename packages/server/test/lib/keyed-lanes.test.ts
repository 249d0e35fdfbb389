import { describe, expect, it } from 'vitest';
import { KeyedLanes } from '../../src/lib/keyed-lanes.js';

/** A task that finishes when the test says so, recording when it started and ended. */
function gate(log: string[], name: string) {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => {
    open = () => resolve(name);
    fail = reject;
  });
  const work = async () => {
    log.push(`${name} start`);
    try {
      return await done;
    } finally {
      log.push(`${name} end`);
    }
  };
  return { work, open, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedLanes', () => {
  it('runs the tasks of one key one after another, in the order they came', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const first = gate(log, 'first');
    const second = gate(log, 'second');
    const third = gate(log, 'third');
    const results = [lanes.run('visitor-1', first.work), lanes.run('visitor-1', second.work), lanes.run('visitor-1', third.work)];
    await tick();
    expect(log).toEqual(['first start']);
    // The later ones finishing early changes nothing: the second starts after the first ends.
    third.open();
    second.open();
    await tick();
    expect(log).toEqual(['first start']);
    first.open();
    expect(await Promise.all(results)).toEqual(['first', 'second', 'third']);
    expect(log).toEqual(['first start', 'first end', 'second start', 'second end', 'third start', 'third end']);
  });

  it('runs the tasks of different keys side by side', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const a = gate(log, 'a');
    const b = gate(log, 'b');
    const both = Promise.all([lanes.run('conversation-a', a.work), lanes.run('conversation-b', b.work)]);
    await tick();
    expect(log).toEqual(['a start', 'b start']);
    b.open();
    await tick();
    expect(log).toEqual(['a start', 'b start', 'b end']);
    a.open();
    expect(await both).toEqual(['a', 'b']);
  });

  it('gives a failure to its own caller and still runs the next task', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const failing = gate(log, 'failing');
    const next = gate(log, 'next');
    const first = lanes.run('user-7', failing.work);
    const second = lanes.run('user-7', next.work);
    failing.fail(new Error('the database is gone'));
    await expect(first).rejects.toThrow('the database is gone');
    next.open();
    await expect(second).resolves.toBe('next');
    // A task that throws before its first await is a failure like any other.
    const thrown = lanes.run('user-7', () => {
      throw new Error('bad input');
    });
    await expect(thrown).rejects.toThrow('bad input');
    await expect(lanes.run('user-7', async () => 'after')).resolves.toBe('after');
  });

  it('forgets a key once its lane is idle, so keys do not pile up', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const held = gate(log, 'held');
    const running = lanes.run('busy', held.work);
    const quick = Array.from({ length: 1000 }, (_, i) => lanes.run(`visitor-${i}`, async () => i));
    expect(lanes.size).toBe(1001);
    await Promise.all(quick);
    await tick();
    expect(lanes.size).toBe(1);
    expect(lanes.idle('visitor-3')).toBeUndefined();
    const waiting = lanes.idle('busy');
    expect(waiting).toBeInstanceOf(Promise);
    held.open();
    await running;
    await waiting;
    await tick();
    expect(lanes.size).toBe(0);
    await expect(lanes.run('busy', () => Promise.reject(new Error('nope')))).rejects.toThrow('nope');
    await tick();
    expect(lanes.size).toBe(0);
  });
});
