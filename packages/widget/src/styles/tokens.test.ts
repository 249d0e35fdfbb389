import { describe, expect, it } from 'vitest';
import { darkTokens, tokens } from './tokens.js';
import { contrast } from '../components/chat/color.js';

/** The light defaults (`var(--parley-x, #hex)`) and the dark values (`--parley-x: #hex`) of the theme. */
function palette(): { light: Record<string, string>; dark: Record<string, string> } {
  const light = Object.fromEntries([...tokens.cssText.matchAll(/var\(--parley-([a-z0-9-]+),\s*(#[0-9a-f]{3,6})\)/gi)].map((m) => [m[1]!, m[2]!]));
  const dark = { ...light, ...Object.fromEntries([...darkTokens.cssText.matchAll(/--parley-([a-z0-9-]+):\s*(#[0-9a-f]{3,6})/gi)].map((m) => [m[1]!, m[2]!])) };
  return { light, dark };
}

/** Foreground on background, and the WCAG AA ratio it needs (4.5 for text, 3 for focus rings). */
const PAIRS: Array<[string, string, number]> = [
  ['text', 'surface', 4.5],
  ['text', 'surface-2', 4.5],
  ['muted', 'surface', 4.5],
  ['muted', 'surface-2', 4.5],
  ['error', 'error-bg', 4.5],
  ['accent', 'surface', 4.5],
  ['on-primary', 'primary', 4.5],
  ['focus', 'surface', 3],
];

describe('theme contrast', () => {
  const { light, dark } = palette();

  for (const [name, colors] of [['light', light], ['dark', dark]] as const) {
    it(`meets WCAG AA in the ${name} theme`, () => {
      for (const [fg, bg, needed] of PAIRS) {
        const foreground = fg === 'accent' && !colors.accent ? colors.primary! : colors[fg];
        expect(foreground, `--parley-${fg}`).toBeDefined();
        expect(colors[bg], `--parley-${bg}`).toBeDefined();
        const ratio = contrast(foreground!, colors[bg]!);
        expect(ratio, `${name}: ${fg} ${foreground} on ${bg} ${colors[bg]} = ${ratio.toFixed(2)}`).toBeGreaterThanOrEqual(needed);
      }
    });
  }
});
