/** Relative luminance of a `#rgb` or `#rrggbb` color, or undefined for anything else. */
function luminance(hex: string): number | undefined {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return undefined;
  const full = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join('') : m[1]!;
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = parseInt(full.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** WCAG contrast ratio between two hex colors (1 to 21). */
export function contrast(a: string, b: string): number {
  const la = luminance(a) ?? 0;
  const lb = luminance(b) ?? 1;
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/**
 * The text color that reads best on a brand color: white or near-black, whichever has the higher
 * contrast, so any `data-color` keeps the launcher and the visitor's bubbles legible.
 */
export function textOn(color: string): string | undefined {
  if (luminance(color) === undefined) return undefined;
  return contrast(color, '#ffffff') >= contrast(color, '#111111') ? '#ffffff' : '#111111';
}
