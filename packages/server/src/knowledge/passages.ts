import { sanitizeLightHtml } from '@parley/protocol';
import { markdownToLightHtml } from '../ai/markdown.js';

/** One passage of an article: the heading it sits under and its plain text. */
export interface Passage {
  /** 0 is the article's lead. */
  position: number;
  heading: string;
  text: string;
}

/** Passages an article is cut into at most, and characters a passage keeps. */
export const MAX_PASSAGES = 200;
const MAX_PASSAGE_CHARS = 2000;
/** Paragraphs shorter than this join the next one under the same heading (a lone "Yes." says nothing). */
const MIN_PASSAGE_CHARS = 60;

const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/;

/** Plain text of one line of Markdown: links keep their label, emphasis and code marks go, list marks go. */
export function markdownLineToText(line: string): string {
  return line
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/^\s*(?:[-*+]|\d{1,3}[.)])\s+/, '')
    .replace(/^\s*>\s?/, '')
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|[^\w])[*_]([^*_\n]+)[*_](?!\w)/g, '$1$2')
    .trim();
}

/**
 * Cuts a Markdown article into passages: each paragraph or list under its nearest heading, short
 * ones joined with the next. What a visitor is shown as the answer's excerpt is one of these.
 *
 * @example toPassages('Intro.\n\n## Costs\nFree over 50 EUR.') // [{ heading: '', … }, { heading: 'Costs', … }]
 */
export function toPassages(markdown: string): Passage[] {
  const passages: Passage[] = [];
  let heading = '';
  let pending = '';
  const flush = () => {
    const text = pending.trim();
    pending = '';
    if (!text || passages.length >= MAX_PASSAGES) return;
    passages.push({ position: passages.length, heading, text: text.slice(0, MAX_PASSAGE_CHARS) });
  };
  for (const block of markdown.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines: string[] = [];
    for (const line of block.split('\n')) {
      const h = HEADING.exec(line);
      if (h) {
        if (lines.length) pending += (pending ? ' ' : '') + lines.splice(0).join(' ');
        flush();
        heading = markdownLineToText(h[1] ?? '');
      } else if (line.trim()) {
        lines.push(markdownLineToText(line));
      }
    }
    if (!lines.length) continue;
    pending += (pending ? ' ' : '') + lines.join(' ');
    if (pending.length >= MIN_PASSAGE_CHARS) flush();
  }
  flush();
  return passages;
}

/** An article's Markdown body as light HTML (the allowlist every component uses). */
export function articleHtml(markdown: string): string {
  return sanitizeLightHtml(markdownToLightHtml(markdown));
}

/** A short plain excerpt: whole words, at most `max` characters, an ellipsis when cut. */
export function excerptOf(text: string, max = 300): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?-]+$/, '')}…`;
}
