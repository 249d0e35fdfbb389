/**
 * Light HTML: the only markup a `text` component may carry.
 *
 * `sanitizeLightHtml` rebuilds its input from tokens: allowlisted tags come out in a normal form
 * with no attributes except a checked `href` on links; every other `<` is escaped and shown as
 * text. Output is therefore safe by construction and stable (sanitizing twice changes nothing).
 * Pure string code with no DOM, so the server and the widget run the very same function.
 */

const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'br', 'p', 'ul', 'ol', 'li', 'a']);
const MAX_DEPTH = 32;
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*)\s*\/?>/g;
const HREF_ATTR = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+))/i;
const ENTITY = /^&(?:[a-zA-Z][a-zA-Z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});/;
/** The only characters sanitizing can change. */
const MARKUP = /[&<>]/;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text so that it shows literally inside HTML (all of `& < > " '`). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes a text run of light HTML: `& < >` only (text runs never land inside an attribute), and
 * well-formed entities such as `&amp;` are kept.
 */
function escapeTextRun(text: string): string {
  if (!MARKUP.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '&') {
      const entity = ENTITY.exec(text.slice(i, i + 40));
      if (entity) {
        out += entity[0];
        i += entity[0].length - 1;
        continue;
      }
    }
    out += TEXT_ESCAPES[ch] ?? ch;
  }
  return out;
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', colon: ':', tab: '\t', newline: '\n' };

/** Decodes the character references of light HTML (named ones we know, decimal and hex). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});?/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

/** Returns a link target when it is http, https or mailto once entities and control characters are removed. */
function safeHref(raw: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const decoded = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return SAFE_HREF.test(decoded) ? decoded : undefined;
}

/**
 * Returns `input` with only allowlisted light HTML kept: b, strong, i, em, u, br, p, ul, ol, li, and
 * a with an http, https or mailto href (given `rel="noopener noreferrer"` and `target="_blank"`).
 * Everything else is escaped. Unclosed tags are closed; stray closing tags are dropped.
 *
 * @example sanitizeLightHtml('<b>Hi</b><script>x</script>') // '<b>Hi</b>&lt;script&gt;x&lt;/script&gt;'
 */
export function sanitizeLightHtml(input: string): string {
  // Plain text (most chat messages) has no tag, entity or bracket: it comes out as it went in.
  if (!MARKUP.test(input)) return input;
  const open: string[] = [];
  let out = '';
  let last = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(input); match; match = TAG.exec(input)) {
    const [whole, slash, rawName, attrs = ''] = match;
    const name = rawName!.toLowerCase();
    out += escapeTextRun(input.slice(last, match.index));
    last = match.index + whole.length;
    if (!ALLOWED_TAGS.has(name)) {
      out += escapeTextRun(whole);
      continue;
    }
    if (name === 'br') {
      if (!slash) out += '<br>';
      continue;
    }
    if (slash) {
      const at = open.lastIndexOf(name);
      if (at === -1) continue;
      while (open.length > at) out += `</${open.pop()}>`;
      continue;
    }
    if (open.length >= MAX_DEPTH) {
      out += escapeTextRun(whole);
      continue;
    }
    open.push(name);
    if (name === 'a') {
      const hrefMatch = HREF_ATTR.exec(attrs);
      const href = hrefMatch ? safeHref(hrefMatch[1] ?? hrefMatch[2] ?? hrefMatch[3] ?? '') : undefined;
      out += href
        ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer" target="_blank">`
        : '<a rel="noopener noreferrer" target="_blank">';
    } else {
      out += `<${name}>`;
    }
  }
  out += escapeTextRun(input.slice(last));
  while (open.length) out += `</${open.pop()}>`;
  return out;
}

const MARKUP_OR_BREAK = /[<&\n]/;

/**
 * Flattens light HTML to readable plain text: tags removed, entities decoded, paragraphs, breaks
 * and list items on their own lines. Used for search, transcripts and the REST chat API.
 */
export function lightHtmlToText(html: string): string {
  // Without a tag, an entity or a line break every pass below is a no-op: skip them (chat turns).
  if (!MARKUP_OR_BREAK.test(html)) return html.trim();
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<li[^>]*>/gi, '\n- ')
      .replace(/<\/(p|ul|ol)>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
