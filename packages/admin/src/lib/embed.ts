/** The one line a site adds to show the widget. */
export function embedSnippet(origin: string, siteKey: string): string {
  return `<script src="${origin}/widget.js" data-site="${siteKey}" async></script>`;
}

/** Allowed origins typed one per line (or separated by commas or spaces), trimmed, without duplicates or trailing slashes. */
export function parseOrigins(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean))];
}
