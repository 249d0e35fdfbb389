import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    margin: 8px 0;
  }
  [part='card'] {
    background: var(--parley-note-soft, #fff8db);
    border: 1px solid var(--parley-note-border, #f0c36d);
    border-left-width: 4px;
    border-radius: var(--parley-radius, 10px);
    padding: 8px 12px 10px;
  }
  [part='header'] {
    display: flex;
    align-items: center;
    flex-wrap: wrap;
    gap: 4px 10px;
    font-size: 12px;
    color: var(--parley-muted, #5c6670);
  }
  [part='label'] {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    font-weight: 700;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    font-size: 11.5px;
    color: var(--parley-note, #8a5a00);
  }
  [part='label'] .icon {
    width: 14px;
    height: 14px;
  }
  [part='author'] {
    font-weight: 600;
    color: var(--parley-text, #1b1f24);
  }
  [part='delete'] {
    margin-left: auto;
    min-height: 26px;
    padding: 2px 10px;
    font-size: 12px;
    background: transparent;
    border-color: var(--parley-note-border, #f0c36d);
  }
  [part='text'] {
    margin-top: 4px;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    line-height: 1.45;
    color: var(--parley-text, #1b1f24);
  }
`;
