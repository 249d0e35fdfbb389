import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: 100%;
    height: 100dvh;
  }
  [part='shell'] {
    display: grid;
    grid-template-columns: auto 1fr;
    height: 100%;
  }
  [part='main'] {
    min-width: 0;
    min-height: 0;
    position: relative;
    display: flex;
    flex-direction: column;
  }
  [part='inbox'] {
    display: grid;
    grid-template-columns: minmax(280px, 360px) 1fr;
    flex: 1;
    min-height: 0;
  }
  [part='inbox'] > parley-chat-list {
    border-right: 1px solid var(--parley-border, #dfe3e8);
  }
  .placeholder {
    display: grid;
    place-items: center;
    color: var(--parley-muted, #5c6670);
    padding: 24px;
    text-align: center;
  }
  [part='banner'] {
    display: flex;
    gap: 8px;
    align-items: center;
    padding: 6px 12px;
    font-size: 13px;
    background: var(--parley-danger-soft, #fff0f0);
    color: var(--parley-danger, #c92a2a);
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
  }
  [part='banner'] span {
    flex: 1;
  }
  [part='banner'] button {
    min-height: 24px;
    padding: 2px 8px;
  }
  [part='toast'] {
    position: absolute;
    right: 16px;
    bottom: 16px;
    display: flex;
    align-items: center;
    gap: 8px;
    font-weight: 600;
    z-index: 5;
    background: var(--parley-waiting, #d9480f);
    color: #fff;
    border: 0;
    border-radius: 10px;
    padding: 10px 14px;
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.2);
    cursor: pointer;
  }
  [part='screen'] {
    flex: 1;
    min-height: 0;
  }
  .checking {
    display: grid;
    place-items: center;
    height: 100%;
    color: var(--parley-muted, #5c6670);
  }
  @media (max-width: 720px) {
    [part='shell'] {
      grid-template-columns: minmax(0, 1fr);
      grid-template-rows: minmax(0, 1fr) auto;
    }
    parley-nav-bar {
      order: 2;
    }
    [part='inbox'] {
      grid-template-columns: 1fr;
    }
    [part='inbox'].open > parley-chat-list,
    [part='inbox']:not(.open) > [part~='conversation'] {
      display: none;
    }
    [part='toast'] {
      left: 12px;
      right: 12px;
      bottom: 12px;
    }
  }
`;
