import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: 760px;
  }
  section,
  form {
    display: grid;
    gap: 10px;
  }
  p {
    margin: 0;
  }
  h3 {
    font-size: 14px;
  }
  /* Each reply spans the list's columns, so shortcuts, texts and buttons line up. */
  [part='list'] {
    display: grid;
    grid-template-columns: max-content 1fr auto;
    list-style: none;
    margin: 0;
    padding: 0;
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 8px;
  }
  [part='reply'] {
    grid-column: 1 / -1;
    display: grid;
    grid-template-columns: subgrid;
    gap: 6px 12px;
    align-items: start;
    padding: 10px 12px;
  }
  [part='reply'] + [part='reply'] {
    border-top: 1px solid var(--parley-border, #dfe3e8);
  }
  [part='reply'] > code {
    font-weight: 600;
    color: var(--parley-accent, #3b5bdb);
    padding-top: 2px;
  }
  [part='reply'] .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    min-width: 0;
  }
  [part='reply'] .actions {
    flex-wrap: nowrap;
  }
  [part='edit'] {
    grid-column: 1 / -1;
  }
  [part='add'] {
    padding-top: 12px;
    border-top: 1px solid var(--parley-border, #dfe3e8);
  }
  .shortcut {
    display: flex;
    align-items: center;
    gap: 4px;
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    font-size: 14px;
    color: var(--parley-text, #1b1f24);
  }
  .shortcut input {
    flex: 1;
    max-width: 320px;
    font-family: inherit;
  }
  textarea {
    width: 100%;
    min-height: 72px;
    resize: vertical;
  }
  .hint {
    font-size: 12.5px;
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
  @media (max-width: 720px) {
    [part='list'] {
      grid-template-columns: 1fr auto;
    }
    [part='reply'] .text {
      grid-column: 1 / -1;
      grid-row: 2;
    }
  }
`;
