import { afterEach, describe, expect, it } from 'vitest';
import { $, mount, record } from '../../../test/dom.js';
import { note } from '../../../test/fixtures.js';
import { DELETE_NOTE_QUESTION } from './note-card.component.js';
import './note-card.js';

describe('parley-note-card', () => {
  const realConfirm = window.confirm;
  afterEach(() => (window.confirm = realConfirm));

  it('shows a note as an agents-only card: Note, its author, its time, and its text exactly as typed', async () => {
    const el = await mount('parley-note-card', { note: note('n1', 'Customer is a <b>VIP</b>\nBe nice') });
    expect($(el, '[part="label"]')!.textContent).toContain('Note');
    expect($(el, '[part="label"] svg')).not.toBeNull();
    expect($(el, '[part="author"]')!.textContent).toBe('Bo');
    expect($(el, 'time')!.getAttribute('datetime')).toBe('2026-11-21T10:00:00.000Z');
    expect($(el, '[part="label"]')!.title).toMatch(/Only agents/);
    expect($(el, '[part="text"]')!.textContent).toBe('Customer is a <b>VIP</b>\nBe nice');
    expect($(el, '[part="text"] b')).toBeNull();
    expect($(el, '[part="card"]')!.getAttribute('aria-label')).toBe('Internal note by Bo');
  });

  it('offers Delete only when allowed, and asks before it reports the deletion', async () => {
    const el = await mount('parley-note-card', { note: note('n1', 'Customer is a VIP') });
    expect($(el, '[part="delete"]')).toBeNull();
    el.deletable = true;
    await el.updateComplete;
    const deletions = record<{ noteId: string }>(el, 'parley-note-delete');
    const asked: string[] = [];
    window.confirm = (question) => (asked.push(String(question)), false);
    $(el, '[part="delete"]')!.click();
    expect(deletions).toEqual([]);
    window.confirm = (question) => (asked.push(String(question)), true);
    $(el, '[part="delete"]')!.click();
    expect(deletions).toEqual([{ noteId: 'n1' }]);
    expect(asked).toEqual([DELETE_NOTE_QUESTION, DELETE_NOTE_QUESTION]);
  });
});
