import { css } from 'lit';

export const styles = css`
  :host {
    display: grid;
    gap: 8px;
  }
  .row {
    display: flex;
    gap: 8px;
    align-items: center;
  }
  .wrap {
    overflow-x: auto;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 13px;
  }
  th,
  td {
    text-align: left;
    padding: 6px 8px;
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
    vertical-align: top;
  }
  th {
    color: var(--parley-muted, #5c6670);
    font-weight: 600;
  }
  .succeeded .status {
    color: var(--parley-ok, #2b8a3e);
  }
  .failed .status,
  .bad {
    color: var(--parley-danger, #c92a2a);
  }
  .actions {
    white-space: nowrap;
  }
  pre {
    margin: 6px 0 0;
    padding: 8px;
    max-height: 240px;
    overflow: auto;
    border-radius: 6px;
    background: var(--parley-surface-2, #f0f2f5);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  ol {
    margin: 0;
    padding-inline-start: 18px;
    display: grid;
    gap: 4px;
  }
`;
