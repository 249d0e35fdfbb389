import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
    height: 100%;
    background: var(--parley-surface, #fff);
  }
  [part='filters'] {
    display: flex;
    gap: 4px;
    flex-wrap: wrap;
    padding: 10px 10px 8px;
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
  }
  [part='filter'] {
    border-radius: 999px;
    padding: 4px 10px;
    min-height: 28px;
    font-size: 13px;
    white-space: nowrap;
    border-color: transparent;
    background: var(--parley-surface-2, #f0f2f5);
  }
  [part='filter'][aria-pressed='true'] {
    background: var(--parley-accent, #3b5bdb);
    color: var(--parley-accent-text, #fff);
  }
  .count {
    font-size: 11px;
    opacity: 0.8;
  }
  [part='filter'].waiting:not([aria-pressed='true']) .count.some {
    color: var(--parley-waiting, #d9480f);
    font-weight: 700;
    opacity: 1;
  }
  [part='list'] {
    list-style: none;
    margin: 0;
    padding: 0;
    overflow-y: auto;
    flex: 1;
  }
  [part='item'] {
    display: grid;
    grid-template-columns: 36px 1fr auto;
    gap: 2px 10px;
    padding: 10px 12px;
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
    cursor: pointer;
    text-decoration: none;
    color: inherit;
    border-left: 3px solid transparent;
  }
  [part='item']:hover {
    background: var(--parley-surface-2, #f0f2f5);
  }
  [part='item'][aria-current='true'] {
    background: var(--parley-accent-soft, #e7ecff);
  }
  [part='item'].waiting {
    border-left-color: var(--parley-waiting, #d9480f);
    background: var(--parley-waiting-soft, #fff1e6);
  }
  [part='avatar'] {
    grid-row: span 2;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    background: var(--parley-surface-2, #f0f2f5);
    display: grid;
    place-items: center;
    font-weight: 600;
    position: relative;
  }
  [part='avatar'].online::after {
    content: '';
    position: absolute;
    right: 0;
    bottom: 0;
    width: 10px;
    height: 10px;
    border-radius: 50%;
    background: var(--parley-ok, #2b8a3e);
    border: 2px solid var(--parley-surface, #fff);
  }
  .name {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .age {
    font-size: 12px;
    color: var(--parley-muted, #5c6670);
    text-align: right;
  }
  [part='preview'] {
    font-size: 13px;
    color: var(--parley-muted, #5c6670);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .unread [part='preview'] {
    color: var(--parley-text, #1b1f24);
    font-weight: 500;
  }
  .side {
    display: flex;
    gap: 4px;
    justify-content: flex-end;
    align-items: center;
  }
  [part='unread'] {
    background: var(--parley-accent, #3b5bdb);
    color: var(--parley-accent-text, #fff);
    border-radius: 999px;
    font-size: 11px;
    font-weight: 700;
    min-width: 18px;
    padding: 1px 6px;
    text-align: center;
  }
  [part='badge'] {
    font-size: 11px;
    border-radius: 4px;
    padding: 1px 6px;
    background: var(--parley-surface-2, #f0f2f5);
    color: var(--parley-muted, #5c6670);
    white-space: nowrap;
  }
  [part='badge'].waiting {
    background: var(--parley-waiting, #d9480f);
    color: #fff;
  }
  [part='more'] {
    display: block;
    margin: 12px auto;
  }
  [part='empty'] {
    padding: 32px 16px;
    text-align: center;
    color: var(--parley-muted, #5c6670);
  }
`;
