import { css } from 'lit';

/** Buttons, inputs and small pieces every screen shares, themed by the page's custom properties. */
export const controls = css`
  :host {
    box-sizing: border-box;
    font-family: var(--parley-font, system-ui, sans-serif);
    color: var(--parley-text, #1b1f24);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button,
  .button {
    font: inherit;
    border: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
    color: var(--parley-text, #1b1f24);
    border-radius: 8px;
    padding: 6px 12px;
    min-height: 32px;
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  button:hover:not(:disabled) {
    background: var(--parley-surface-2, #f0f2f5);
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button.primary {
    background: var(--parley-accent, #3b5bdb);
    border-color: var(--parley-accent, #3b5bdb);
    color: var(--parley-accent-text, #fff);
  }
  button.primary:hover:not(:disabled) {
    filter: brightness(1.08);
    background: var(--parley-accent, #3b5bdb);
  }
  button.danger {
    color: var(--parley-danger, #c92a2a);
  }
  button:focus-visible,
  input:focus-visible,
  textarea:focus-visible,
  select:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--parley-accent, #3b5bdb);
    outline-offset: 1px;
  }
  input,
  textarea,
  select {
    font: inherit;
    /* Not inherited: inside a (muted) label, typed values would look like placeholders. */
    color: var(--parley-text, #1b1f24);
    background: var(--parley-surface, #fff);
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 8px;
    padding: 7px 10px;
    min-height: 34px;
  }
  label {
    display: grid;
    gap: 4px;
    font-size: 13px;
    color: var(--parley-muted, #5c6670);
  }
  .muted {
    color: var(--parley-muted, #5c6670);
  }
  .error {
    color: var(--parley-danger, #c92a2a);
    background: var(--parley-danger-soft, #fff0f0);
    border-radius: 8px;
    padding: 8px 10px;
  }
  .card {
    background: var(--parley-surface, #fff);
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: var(--parley-radius, 10px);
    padding: 16px;
  }
  h1,
  h2,
  h3 {
    margin: 0;
    font-weight: 600;
  }
  h1 {
    font-size: 18px;
  }
  h2 {
    font-size: 15px;
  }
  code,
  pre {
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    font-size: 12.5px;
  }
`;

/** A full-height screen with a header and a scrolling body (leads, search, agents, settings). */
export const screen = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
    overflow: auto;
  }
  [part='header'] {
    display: flex;
    align-items: center;
    gap: 12px;
    flex-wrap: wrap;
    padding: 16px 20px 8px;
  }
  [part='body'] {
    padding: 8px 20px 24px;
    display: grid;
    gap: 16px;
    align-content: start;
  }
  @media (max-width: 720px) {
    [part='header'] {
      padding: 12px 12px 6px;
    }
    [part='body'] {
      padding: 6px 12px 16px;
    }
  }
`;

/** A line of buttons and fields that wraps on narrow screens (settings-like screens). */
export const row = css`
  .row {
    display: flex;
    gap: 8px;
    align-items: center;
    flex-wrap: wrap;
  }
`;

/** Text a person copies as it is: an embed snippet, and a key shown once (framed in the warning colour). */
export const copyable = css`
  [part='snippet'],
  [part='api-key'] {
    display: block;
    background: var(--parley-surface-2, #f0f2f5);
    border-radius: 8px;
    padding: 10px 12px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    user-select: all;
  }
  [part='api-key'] {
    border: 2px solid var(--parley-waiting, #d9480f);
  }
`;
