import { css } from 'lit';

export const styles = css`
  :host {
    display: grid;
    grid-template-columns: 1fr auto;
    min-height: 0;
    height: 100%;
    background: var(--parley-bg, #f6f7f9);
  }
  [part='main'] {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
  }
  [part='header'] {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 8px 12px;
    background: var(--parley-surface, #fff);
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
    min-height: 52px;
    flex-wrap: wrap;
  }
  .who {
    flex: 1;
    min-width: 120px;
    display: grid;
  }
  .who strong {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .who span {
    font-size: 12px;
    color: var(--parley-muted, #5c6670);
  }
  .who span.waiting {
    color: var(--parley-waiting, #d9480f);
    font-weight: 600;
  }
  [part='actions'] {
    display: flex;
    gap: 6px;
    flex-wrap: wrap;
  }
  [part='back'] {
    display: none;
  }
  [part='messages'] {
    flex: 1;
    overflow-y: auto;
    overflow-x: hidden;
    padding: 12px 16px;
  }
  .stack {
    display: flex;
    flex-direction: column;
  }
  [part='typing'] {
    font-size: 12px;
    color: var(--parley-muted, #5c6670);
    padding: 2px 16px 6px;
    min-height: 20px;
  }
  .pulse {
    display: inline-flex;
    gap: 3px;
    margin-right: 4px;
    vertical-align: middle;
  }
  .pulse i {
    width: 5px;
    height: 5px;
    border-radius: 50%;
    background: currentColor;
    animation: pulse 1.2s infinite ease-in-out;
  }
  .pulse i:nth-child(2) {
    animation-delay: 0.15s;
  }
  .pulse i:nth-child(3) {
    animation-delay: 0.3s;
  }
  @keyframes pulse {
    0%,
    80%,
    100% {
      opacity: 0.3;
    }
    40% {
      opacity: 1;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .pulse i {
      animation: none;
    }
  }
  [part='details'] {
    width: 300px;
    border-left: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
    min-height: 0;
  }
  [part='details'][hidden] {
    display: none;
  }
  [part='details'] {
    overflow-y: auto;
    position: relative;
  }
  [part='transcript'],
  [part='delete'] {
    padding: 0 16px 16px;
  }
  [part='close-details'] {
    display: none;
    position: absolute;
    top: 8px;
    right: 8px;
    font-size: 18px;
    line-height: 1;
    padding: 4px 10px;
  }
  .banner {
    padding: 8px 16px;
    font-size: 13px;
    background: var(--parley-waiting-soft, #fff1e6);
    color: var(--parley-text, #1b1f24);
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
  }
  .context {
    margin-top: 4px;
    font-style: italic;
    white-space: pre-wrap;
  }
  @media (max-width: 1100px) {
    :host {
      grid-template-columns: 1fr;
      position: relative;
    }
    [part='close-details'] {
      display: inline-flex;
    }
    [part='details'] {
      position: absolute;
      inset: 0 0 0 auto;
      width: min(320px, 100%);
      box-shadow: -8px 0 24px rgb(0 0 0 / 0.15);
      z-index: 2;
    }
  }
  @media (max-width: 720px) {
    [part='back'] {
      display: inline-flex;
    }
    [part='messages'] {
      padding: 8px 10px;
    }
    [part='header'] {
      padding: 6px 8px;
    }
  }
`;
