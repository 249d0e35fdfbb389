import { describe, expect, it } from 'vitest';
import { ago, describeUserAgent, shortAge, visitorName } from './format.js';

describe('formatting for agents', () => {
  it('names browsers and systems from user agents', () => {
    expect(describeUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1')).toBe('Safari 17 on iOS');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox 133 on Windows');
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0')).toBe('Edge 131 on Windows');
    expect(describeUserAgent(null)).toBe('Unknown');
  });

  it('gives short ages', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(shortAge('2026-11-21T11:59:40Z', now, 'en')).toBe('now');
    expect(shortAge('2026-11-21T11:45:00Z', now, 'en')).toBe('15m ago');
    expect(shortAge('2026-11-21T09:00:00Z', now, 'en')).toBe('3h ago');
    expect(shortAge('2026-11-20T11:00:00Z', now, 'en')).toBe('yesterday');
    expect(shortAge('2026-11-19T12:00:00Z', now, 'en')).toBe('2d ago');
    expect(shortAge('2026-11-01T12:00:00Z', now, 'en')).toBe(new Date('2026-11-01T12:00:00Z').toLocaleDateString('en'));
  });

  it('says how long ago in words, in the given language, through Intl.RelativeTimeFormat', () => {
    const now = Date.parse('2026-11-21T12:00:00Z');
    expect(ago('2026-11-21T11:59:40Z', now, 'en')).toBe('now');
    expect(ago('2026-11-21T12:05:00Z', now, 'en')).toBe('now');
    expect(ago('2026-11-21T11:55:00Z', now, 'en')).toBe('5 minutes ago');
    expect(ago('2026-11-21T11:00:00Z', now, 'en')).toBe('1 hour ago');
    expect(ago('2026-11-20T12:00:00Z', now, 'en')).toBe('yesterday');
    expect(ago('2026-11-01T12:00:00Z', now, 'en')).toBe('2 weeks ago');
    expect(ago('2026-08-01T12:00:00Z', now, 'en')).toBe('3 months ago');
    expect(ago('2026-11-21T11:55:00Z', now, 'de')).toBe('vor 5 Minuten');
    expect(ago('2026-11-20T12:00:00Z', now, 'fr')).toBe('hier');
    expect(ago(undefined, now)).toBe('');
    expect(ago('not a date', now)).toBe('');
  });

  it('names visitors by who the site says they are, else their lead, else a short id', () => {
    const visitor = { online: true };
    expect(visitorName({ id: 'c_abcdef', lead: { name: 'Dana' }, visitor })).toBe('Dana');
    expect(visitorName({ id: 'c_abcdef', lead: { email: 'd@example.com' }, visitor })).toBe('d@example.com');
    expect(visitorName({ id: 'c_abcdef', lead: null, visitor })).toBe('Visitor bcdef');
    const identified = { online: true, identity: { user_id: 'u-7', name: 'Ada', email: null, verified: true } };
    expect(visitorName({ id: 'c_abcdef', lead: { name: 'Dana' }, visitor: identified })).toBe('Ada');
  });
});
