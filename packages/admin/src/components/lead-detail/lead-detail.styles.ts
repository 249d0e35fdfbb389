import { css } from 'lit';

export const styles = css`
  :host {
    display: grid;
    gap: 16px;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 6px 16px;
    margin: 0;
    font-size: 14px;
  }
  dt {
    color: var(--parley-muted, #5c6670);
    text-transform: capitalize;
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .row {
    display: flex;
    gap: 12px;
    align-items: baseline;
    flex-wrap: wrap;
  }
  a {
    color: var(--parley-accent, #3b5bdb);
  }
  [part='transcript'] {
    display: grid;
    gap: 6px;
    margin-top: 8px;
    max-height: 420px;
    overflow: auto;
    padding: 8px;
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 8px;
  }
`;
