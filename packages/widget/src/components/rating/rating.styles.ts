import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  fieldset {
    border: 1px solid var(--_border, #d0d5dd);
    border-radius: 10px;
    margin: 0;
    padding: 0.6em 0.75em 0.75em;
  }
  legend {
    padding: 0 0.25em;
    font-weight: 600;
  }
  .scores {
    display: flex;
    gap: 0.25em;
    margin: 0.25em 0 0.5em;
  }
  .scores button {
    font: inherit;
    font-size: 1.35em;
    line-height: 1;
    min-width: 2em;
    min-height: 2em;
    border: 1px solid transparent;
    border-radius: 8px;
    background: none;
    color: var(--_muted, #667085);
    cursor: pointer;
  }
  .scores button[aria-pressed='true'] {
    color: var(--_accent, #2563eb);
    border-color: currentColor;
  }
  .scores button:focus-visible,
  textarea:focus-visible,
  .send:focus-visible {
    outline: 2px solid var(--_accent, #2563eb);
    outline-offset: 2px;
  }
  textarea {
    box-sizing: border-box;
    width: 100%;
    font: inherit;
    min-height: 3.5em;
    border: 1px solid var(--_border, #d0d5dd);
    border-radius: 8px;
    padding: 0.4em 0.5em;
    background: transparent;
    color: inherit;
    resize: vertical;
  }
  .send {
    margin-top: 0.5em;
    font: inherit;
    border: 0;
    border-radius: 8px;
    padding: 0.45em 0.9em;
    background: var(--_accent, #2563eb);
    color: var(--_on-accent, #fff);
    cursor: pointer;
  }
  .send:disabled {
    opacity: 0.5;
    cursor: default;
  }
  p {
    margin: 0.25em 0 0;
  }
`;
