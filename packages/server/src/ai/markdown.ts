import { Marked, type Tokens } from 'marked';
import { escapeHtml } from '@parley/protocol';

const SAFE_URL = /^(?:https?:\/\/|mailto:)[^\s<>"']+$/i;

/** Lines of plain text as escaped light HTML, indentation kept (no `pre` on the allowlist). */
function escapedLines(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeHtml(line).replace(/^ +/, (spaces) => '&nbsp;'.repeat(spaces.length)))
    .join('<br>');
}

/**
 * A `marked` instance whose renderer only ever writes light HTML (`b strong i em u br p ul ol li a`,
 * see the protocol's `sanitizeLightHtml`): what has no tag on the allowlist is rendered with the
 * tags it has. Raw HTML in the Markdown is text; links keep http, https and mailto targets only.
 */
const markdown = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    heading({ tokens }) {
      return `<p><b>${this.parser.parseInline(tokens)}</b></p>`;
    },
    // Fenced and indented code: its lines as text, each on its own line.
    code({ text }) {
      return `<p>${escapedLines(text.replace(/\n+$/, ''))}</p>`;
    },
    codespan({ text }) {
      return escapeHtml(text);
    },
    html({ text }) {
      return escapeHtml(text);
    },
    blockquote({ tokens }) {
      return this.parser.parse(tokens);
    },
    hr() {
      return '';
    },
    del({ tokens }) {
      return this.parser.parseInline(tokens);
    },
    checkbox({ checked }) {
      return checked ? '☑ ' : '☐ ';
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      return SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}">${label}</a>` : label;
    },
    image({ href, text }) {
      return SAFE_URL.test(href) ? `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>` : escapeHtml(text);
    },
    // A table becomes a list, one row an item, each cell named by its column: readable in a
    // chat bubble as narrow as a phone.
    table({ header, rows }: Tokens.Table) {
      const names = header.map((cell) => this.parser.parseInline(cell.tokens));
      const items = rows.map((row) => {
        const cells = row.map((cell, i) => {
          const value = this.parser.parseInline(cell.tokens);
          return names[i] ? `<b>${names[i]}</b>: ${value}` : value;
        });
        return `<li>${cells.join('; ')}</li>`;
      });
      return items.length ? `<ul>${items.join('')}</ul>` : `<p>${names.map((n) => `<b>${n}</b>`).join('; ')}</p>`;
    },
  },
});

/**
 * Turns a model's Markdown answer into light HTML with `marked` (GitHub-flavoured: nested lists,
 * fenced code, tables, bare links without their trailing punctuation): paragraphs, line breaks,
 * lists, bold, italics, links (http, https, mailto only), headings as bold lines, code as plain
 * lines, tables as lists. Raw HTML in the answer shows as text. The result is sanitized again when
 * stored. A single paragraph comes out without its `<p>`.
 *
 * @example markdownToLightHtml('**Hi**, see https://shop.example.') // '<strong>Hi</strong>, see <a href="https://shop.example">https://shop.example</a>.'
 */
export function markdownToLightHtml(text: string): string {
  const html = (markdown.parse(text.replace(/\r\n?/g, '\n').trim(), { async: false }) as string).replace(/\n*(<[^>]*>)\n*/g, '$1').replace(/\n/g, ' ');
  const single = /^<p>((?:(?!<\/?p>).)*)<\/p>$/s.exec(html);
  return single ? single[1]! : html;
}
