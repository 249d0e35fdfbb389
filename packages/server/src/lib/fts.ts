import { escapeHtml } from '@parley/protocol';

const MAX_TERMS = 16;
const TERM = /[\p{L}\p{N}]+/gu;

/** Marks `snippet()` puts round a hit before the text is escaped (control characters never typed in HTML). */
export const HIT_OPEN = '\u0002';
export const HIT_CLOSE = '\u0003';

/**
 * Turns what a person typed into a safe FTS5 query: only letters and digits survive, each word is
 * quoted (so `AND`, `NEAR`, `*`, `:` and quotes are plain text, never syntax), and the words must
 * all match. The last word also matches as a prefix while it is being typed ("refu" finds "refund").
 * Returns undefined when nothing searchable is left.
 *
 * @example toFtsQuery('refund" OR x:*') // '"refund" "OR" "x"*'
 */
export function toFtsQuery(input: string): string | undefined {
  const terms = (input.normalize('NFKC').match(TERM) ?? []).slice(0, MAX_TERMS);
  if (terms.length === 0) return undefined;
  const open = /[\p{L}\p{N}]$/u.test(input.trim());
  return terms.map((term, i) => `"${term}"${i === terms.length - 1 && open && term.length >= 2 ? '*' : ''}`).join(' ');
}

/** A `snippet()` result as safe HTML: the text escaped, the hits wrapped in `<mark>`. */
export function snippetToHtml(snippet: string): string {
  return escapeHtml(snippet.replace(/\u0000/g, '')).replaceAll(HIT_OPEN, '<mark>').replaceAll(HIT_CLOSE, '</mark>');
}
