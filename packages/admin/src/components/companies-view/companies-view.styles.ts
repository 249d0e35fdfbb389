import { css } from 'lit';

export const styles = css`
  .card {
    max-width: 760px;
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part='company'] {
    display: grid;
    gap: 8px;
    padding: 12px 0;
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
  }
  [part='company']:first-child {
    padding-top: 0;
  }
  [part='company']:last-child {
    border-bottom: 0;
    padding-bottom: 0;
  }
  .line {
    display: flex;
    align-items: center;
    gap: 8px;
    flex-wrap: wrap;
  }
  .who {
    flex: 1;
    min-width: 0;
    display: flex;
    align-items: center;
    gap: 8px;
    flex-wrap: wrap;
  }
  .tag {
    font-size: 11px;
    padding: 1px 8px;
    border-radius: 999px;
    background: var(--parley-surface-2, #f0f2f5);
    color: var(--parley-muted, #5c6670);
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0;
    font-size: 13px;
  }
  dt {
    color: var(--parley-muted, #5c6670);
  }
  dd {
    margin: 0;
    min-width: 0;
    overflow-wrap: anywhere;
  }
  [part='created'],
  [part='add'] {
    display: grid;
    gap: 10px;
  }
  fieldset {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(180px, 1fr));
    gap: 10px;
    margin: 0;
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 8px;
    padding: 8px 12px 12px;
  }
  legend {
    font-size: 13px;
    color: var(--parley-muted, #5c6670);
    padding: 0 4px;
  }
  textarea {
    width: 100%;
    min-height: 70px;
    resize: vertical;
  }
  p {
    margin: 0;
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
  @media (max-width: 720px) {
    dl {
      grid-template-columns: 1fr;
    }
    dt:not(:first-child) {
      margin-top: 4px;
    }
  }
`;
