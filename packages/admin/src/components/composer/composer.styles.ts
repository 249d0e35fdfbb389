import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    border-top: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
    padding: 8px 12px calc(8px + env(safe-area-inset-bottom, 0px));
  }
  [part='form'] {
    display: flex;
    gap: 8px;
    align-items: flex-end;
  }
  [part='input'] {
    flex: 1;
    resize: none;
    min-height: 40px;
    max-height: 160px;
    line-height: 1.4;
    font-size: 14px;
  }
  [part='send'] {
    min-height: 40px;
  }
  [part='hint'] {
    font-size: 11.5px;
    color: var(--parley-muted, #5c6670);
    margin-top: 4px;
  }
  @media (max-width: 720px) {
    [part='hint'] {
      display: none;
    }
  }
`;
