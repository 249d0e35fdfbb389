import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    padding: 16px;
    overflow-y: auto;
    font-size: 13px;
  }
  section + section {
    margin-top: 18px;
  }
  h2 {
    font-size: 12px;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--parley-muted, #5c6670);
    margin-bottom: 8px;
  }
  dl {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 6px 12px;
    margin: 0;
  }
  dt {
    color: var(--parley-muted, #5c6670);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  [part='presence'] {
    display: inline-flex;
    align-items: center;
    gap: 6px;
  }
  [part='presence']::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--parley-muted, #5c6670);
  }
  [part='presence'].online::before {
    background: var(--parley-ok, #2b8a3e);
  }
  a {
    color: var(--parley-accent, #3b5bdb);
  }
  .verified {
    color: var(--parley-ok, #2b8a3e);
    font-weight: 600;
  }
  .unverified {
    color: var(--parley-waiting, #d9480f);
  }
  .empty {
    color: var(--parley-muted, #5c6670);
  }
`;
