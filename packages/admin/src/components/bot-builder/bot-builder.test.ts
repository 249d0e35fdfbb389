import { describe, expect, it } from 'vitest';
import { checkFlow } from '@parley/protocol';
import { layeredLayout, CARD } from './layout.js';
import { History } from './history.js';
import { addStep, connect, deleteStep, renameStep, type FlowDoc } from './edit.js';
import { TEMPLATES } from './templates.js';

const doc = (): FlowDoc => ({
  id: 'f',
  name: 'F',
  version: 1,
  start: 'a',
  steps: {
    a: { type: 'choice', text: 'Pick', options: [{ label: 'X', value: 'x', next: 'b' }, { label: 'Y', value: 'y', next: 'c' }] },
    b: { type: 'say', text: 'B', next: 'd' },
    c: { type: 'say', text: 'C', next: 'd' },
    d: { type: 'end' },
    lonely: { type: 'end' },
  },
});

describe('the bot builder', () => {
  it('lays steps out in layers from start, unreachable ones last', () => {
    const placed = layeredLayout(doc().steps, 'a');
    expect([...placed.values()].map((p) => [p.id, p.layer])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 1],
      ['d', 2],
      ['lonely', 3],
    ]);
    expect(placed.get('b')!.x).toBe(0);
    expect(placed.get('c')!.x).toBe(CARD.width + CARD.gapX);
    expect(placed.get('a')!.x).toBe((CARD.width + CARD.gapX) / 2);
  });

  it('adds a step after the selected one, renames with every reference, connects and deletes', () => {
    const added = addStep(doc(), 'input', 'b');
    expect(added.id).toBe('input');
    expect(added.doc.steps.b!.next).toBe('input');
    expect(added.doc.steps.input!.next).toBe('d');
    const renamed = renameStep(added.doc, 'd', 'done');
    expect(renamed.steps.input!.next).toBe('done');
    expect(renamed.steps.c!.next).toBe('done');
    const connected = connect(renamed, 'a', 'options.1.next', 'input');
    expect((connected.steps.a!.options as Array<{ next: string }>)[1]!.next).toBe('input');
    expect(checkFlow(deleteStep(connected, 'input'))).toContainEqual({ step: 'a', field: 'options.1.next', message: 'leads to "input", which is not a step' });
  });

  it('undoes and redoes, merging keystrokes in one field', () => {
    const history = new History(0);
    history.push(1, 'text', 0);
    history.push(2, 'text', 100);
    history.push(3, 'other', 200);
    expect(history.undo()).toBe(2);
    expect(history.undo()).toBe(0);
    expect(history.canUndo).toBe(false);
    expect(history.redo()).toBe(2);
    expect(history.redo()).toBe(3);
  });

  it('offers templates that the server would publish as they are', () => {
    expect(TEMPLATES.map((t) => t.id)).toEqual(['blank', 'support', 'lead', 'faq', 'appointment']);
    for (const template of TEMPLATES) expect(checkFlow(template.flow()), template.id).toEqual([]);
  });
});
