import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    gap: 4px;
    padding: 12px 8px;
    background: var(--parley-surface, #fff);
    border-right: 1px solid var(--parley-border, #dfe3e8);
    width: 200px;
  }
  [part='brand'] {
    font-weight: 700;
    font-size: 17px;
    padding: 4px 10px 12px;
    display: flex;
    align-items: center;
    gap: 8px;
  }
  [part='brand']::before {
    content: '';
    width: 18px;
    height: 18px;
    border-radius: 6px 6px 6px 2px;
    background: var(--parley-accent, #3b5bdb);
  }
  nav {
    display: contents;
  }
  [part='link'] {
    display: flex;
    align-items: center;
    gap: 10px;
    padding: 8px 10px;
    border-radius: 8px;
    color: inherit;
    text-decoration: none;
    position: relative;
  }
  [part='link']:hover {
    background: var(--parley-surface-2, #f0f2f5);
  }
  [part='link'][aria-current='page'] {
    background: var(--parley-accent-soft, #e7ecff);
    color: var(--parley-accent, #3b5bdb);
    font-weight: 600;
  }
  .icon {
    flex: none;
  }
  [part='badge'] {
    margin-left: auto;
    background: var(--parley-waiting, #d9480f);
    color: #fff;
    border-radius: 999px;
    font-size: 11px;
    font-weight: 700;
    padding: 1px 6px;
  }
  [part='footer'] {
    margin-top: auto;
    display: grid;
    gap: 6px;
    padding: 8px 4px 0;
    font-size: 12px;
  }
  [part='connection'] {
    display: flex;
    align-items: center;
    gap: 6px;
    color: var(--parley-muted, #5c6670);
  }
  [part='connection']::before {
    content: '';
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: var(--parley-waiting, #d9480f);
  }
  [part='connection'].open::before {
    background: var(--parley-ok, #2b8a3e);
  }
  .me {
    color: inherit;
    text-decoration: none;
    border-radius: 6px;
    padding: 2px 4px;
    margin: 0 -4px;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .initial {
    display: none;
  }
  .me:hover,
  .me[aria-current='page'] {
    background: var(--parley-surface-2, #f0f2f5);
  }
  .row {
    display: flex;
    gap: 6px;
  }
  .row button {
    justify-content: center;
    font-size: 12px;
    padding: 4px 8px;
    white-space: nowrap;
  }
  .row button[data-action='logout'] {
    flex: 1;
  }
  @media (max-width: 720px) {
    :host {
      flex-direction: row;
      width: auto;
      border-right: 0;
      border-top: 1px solid var(--parley-border, #dfe3e8);
      padding: 4px 4px calc(4px + env(safe-area-inset-bottom, 0px));
      justify-content: space-around;
      gap: 0;
    }
    [part='brand'],
    .label,
    [data-action='notify'],
    [data-action='theme'],
    [data-screen='webhooks'] {
      /* Webhooks are reached from Settings on phones: the tab bar keeps room for the daily screens. */
      display: none;
    }
    .me {
      margin: 0;
      padding: 0;
    }
    .initial {
      display: grid;
      place-items: center;
      width: 30px;
      height: 30px;
      border-radius: 50%;
      background: var(--parley-surface-2, #f0f2f5);
      font-weight: 700;
      font-size: 13px;
    }
    [part='footer'] {
      margin: 0;
      padding: 0 2px;
      display: flex;
      align-items: center;
      gap: 4px;
    }
    [part='connection'] {
      order: 2;
    }
    .row button {
      padding: 4px 6px;
      min-height: 36px;
    }
    [part='link'] {
      flex-direction: column;
      gap: 2px;
      font-size: 10.5px;
      padding: 4px 6px;
      flex: 1;
      min-width: 0;
    }
    [part='badge'] {
      position: absolute;
      top: 0;
      right: 50%;
      margin: 0 -22px 0 0;
    }
  }
`;
