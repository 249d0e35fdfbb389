import { css } from 'lit';

/**
 * The theme tokens every element reads, each a public `--parley-*` custom property with a light
 * default. `<parley-chat>` swaps the defaults for dark ones in its dark theme; pages override any
 * of them on the element (`parley-chat { --parley-primary: #0a7d4f }`).
 */
export const tokens = css`
  :host {
    --_primary: var(--parley-primary, #2563eb);
    --_on-primary: var(--parley-on-primary, #ffffff);
    --_accent: var(--parley-accent, var(--_primary));
    --_surface: var(--parley-surface, #ffffff);
    --_surface-2: var(--parley-surface-2, #f0f2f5);
    --_text: var(--parley-text, #16181d);
    --_muted: var(--parley-muted, #565d6b);
    --_border: var(--parley-border, #d5d9e0);
    --_error: var(--parley-error, #a8200d);
    --_error-bg: var(--parley-error-bg, #fdecea);
    --_radius: var(--parley-radius, 14px);
    --_focus: var(--parley-focus, #2563eb);
    font-family: var(--parley-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    color: var(--_text);
    box-sizing: border-box;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
`;

/** Dark values of the tokens, applied by `<parley-chat theme="dark">` (and `auto` in a dark OS). */
export const darkTokens = css`
  --parley-surface: #17191e;
  --parley-surface-2: #262a31;
  --parley-text: #eceef2;
  --parley-muted: #a9b0bc;
  --parley-border: #3a3f48;
  --parley-error: #ffb4a8;
  --parley-error-bg: #3d1a15;
  --parley-focus: #8fb4ff;
  --parley-accent: #eceef2;
`;

/** Shared look of small buttons (options, retry, select). */
export const buttonStyles = css`
  .btn {
    font: inherit;
    font-size: 0.9rem;
    color: var(--_accent);
    background: var(--_surface);
    border: 1.5px solid var(--_primary);
    border-radius: 999px;
    padding: 0.4rem 0.9rem;
    cursor: pointer;
    min-height: 36px;
  }
  .btn:hover:not(:disabled) {
    background: var(--_primary);
    color: var(--_on-primary);
  }
  .btn:disabled {
    cursor: default;
    opacity: 0.75;
  }
  .btn[aria-pressed='true'] {
    background: var(--_primary);
    color: var(--_on-primary);
    opacity: 1;
  }
`;
