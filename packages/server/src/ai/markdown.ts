import { escapeHtml } from '@parley/protocol';

const SAFE_URL = /^(?:https?:\/\/|mailto:)[^\s<>"']+$/i;

/** Inline Markdown of one escaped line: links, bold, italics; code spans lose their backticks. */
function inline(escaped: string): string {
  return escaped
    .replace(/\[([^\]]{1,300})\]\(([^)\s]{1,2000})\)/g, (whole, label: string, url: string) =>
      SAFE_URL.test(url) ? `<a href="${url}">${label}</a>` : label,
    )
    .replace(/(^|[\s(])((?:https?:\/\/)[^\s<>()]{3,2000})/g, (whole, before: string, url: string) =>
      SAFE_URL.test(url) ? `${before}<a href="${url}">${url}</a>` : whole,
    )
    .replace(/\*\*([^*\n]+)\*\*|__([^_\n]+)__/g, (_, a?: string, b?: string) => `<strong>${a ?? b}</strong>`)
    .replace(/(^|[^*\w])\*([^*\n]+)\*(?!\*)/g, '$1<em>$2</em>')
    .replace(/(^|[^_\w])_([^_\n]+)_(?!_)/g, '$1<em>$2</em>')
    .replace(/`([^`\n]+)`/g, '$1');
}

/**
 * Turns a model's Markdown answer into light HTML: paragraphs, line breaks, bulleted and numbered
 * lists, bold, italics, links (http, https, mailto only), headings as bold lines. Everything is
 * escaped first, so raw HTML in the answer shows as text. The result is sanitized again when stored.
 */
export function markdownToLightHtml(markdown: string): string {
  const blocks = escapeHtml(markdown.replace(/\r\n?/g, '\n').trim()).split(/\n{2,}/);
  return blocks
    .map((block) => {
      const lines = block.split('\n');
      if (lines.every((l) => /^\s*[-*+]\s+/.test(l))) {
        return `<ul>${lines.map((l) => `<li>${inline(l.replace(/^\s*[-*+]\s+/, ''))}</li>`).join('')}</ul>`;
      }
      if (lines.every((l) => /^\s*\d{1,3}[.)]\s+/.test(l))) {
        return `<ol>${lines.map((l) => `<li>${inline(l.replace(/^\s*\d{1,3}[.)]\s+/, ''))}</li>`).join('')}</ol>`;
      }
      const html = lines.map((l) => (/^#{1,6}\s+/.test(l) ? `<b>${inline(l.replace(/^#{1,6}\s+/, ''))}</b>` : inline(l))).join('<br>');
      return blocks.length > 1 ? `<p>${html}</p>` : html;
    })
    .join('');
}
