import { describe, expect, it } from 'vitest';
import { leadColumns } from './leads-view.component.js';

describe('leads table', () => {
  it('has one column per field any lead has, in first-seen order', () => {
    const lead = (data: Record<string, string>) => ({ id: 'l', conversation_id: null, source: 'flow' as const, data, created_at: '' });
    expect(leadColumns([lead({ name: 'A', email: 'a@x' }), lead({ phone: '1', name: 'B' })])).toEqual(['name', 'email', 'phone']);
  });
});
