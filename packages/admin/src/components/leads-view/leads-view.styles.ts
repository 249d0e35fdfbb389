import { css } from 'lit';

export const styles = css`
  .spacer {
    flex: 1;
  }
  form {
    display: flex;
    gap: 8px;
    flex-wrap: wrap;
  }
  [part='table-wrap'] {
    overflow-x: auto;
    padding: 0;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 13px;
  }
  th,
  td {
    text-align: left;
    padding: 8px 12px;
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
    white-space: nowrap;
    max-width: 280px;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  th {
    font-weight: 600;
    color: var(--parley-muted, #5c6670);
    background: var(--parley-surface-2, #f0f2f5);
    text-transform: capitalize;
    position: sticky;
    top: 0;
  }
  tr:last-child td {
    border-bottom: 0;
  }
  a,
  button.link {
    color: var(--parley-accent, #3b5bdb);
  }
  button.link {
    border: 0;
    background: none;
    padding: 0;
    min-height: 0;
    text-decoration: underline;
  }
  .detail-head {
    display: flex;
    justify-content: space-between;
    align-items: center;
    margin-bottom: 12px;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
`;
