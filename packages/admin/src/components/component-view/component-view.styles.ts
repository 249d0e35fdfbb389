import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    min-width: 0;
    font-size: 14px;
    line-height: 1.45;
    overflow-wrap: anywhere;
  }
  [part='text'] p {
    margin: 0 0 6px;
  }
  [part='text'] p:last-child {
    margin-bottom: 0;
  }
  [part='text'] ul,
  [part='text'] ol {
    margin: 4px 0;
    padding-left: 20px;
  }
  [part='text'] a {
    color: inherit;
  }
  [part='buttons'] {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
  }
  [part='button'] {
    border: 1px solid var(--parley-accent, #3b5bdb);
    color: var(--parley-accent, #3b5bdb);
    background: var(--parley-surface, #fff);
    border-radius: 999px;
    padding: 3px 10px;
    font-size: 13px;
  }
  [part='carousel'] {
    display: flex;
    gap: 8px;
    overflow-x: auto;
    padding-bottom: 4px;
    scroll-snap-type: x mandatory;
  }
  [part='product'] {
    flex: 0 0 140px;
    scroll-snap-align: start;
    border: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
    color: var(--parley-text, #1b1f24);
    border-radius: 8px;
    padding: 8px;
    font-size: 12.5px;
    display: grid;
    gap: 2px;
  }
  [part='product'] img,
  [part='image'] {
    display: block;
    max-width: 100%;
    border-radius: 6px;
  }
  [part='product'] img {
    height: 80px;
    width: 100%;
    object-fit: cover;
    margin-bottom: 4px;
  }
  [part='image'] {
    max-height: 240px;
    min-width: 64px;
    min-height: 64px;
    object-fit: contain;
    background: var(--parley-surface-2, #f0f2f5);
  }
  [part='card'],
  [part='article'] {
    border: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
    color: var(--parley-text, #1b1f24);
    border-radius: 8px;
    padding: 8px 10px;
    display: grid;
    gap: 2px;
    font-size: 13px;
  }
  [part='card'] {
    grid-template-columns: 1fr auto;
    gap: 2px 12px;
  }
  [part='alert'] {
    color: var(--parley-danger, #c92a2a);
    background: var(--parley-danger-soft, #fff0f0);
    border-left: 3px solid var(--parley-danger, #c92a2a);
    border-radius: 6px;
    padding: 6px 10px;
  }
  [part='file-request'] .icon {
    vertical-align: -3px;
  }
  [part='hint'] {
    font-size: 12px;
    color: var(--parley-muted, #5c6670);
    font-style: italic;
  }
  [part='form'] {
    display: grid;
    gap: 6px;
    border: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
    color: var(--parley-text, #1b1f24);
    border-radius: 8px;
    padding: 8px 10px;
    font-size: 13px;
  }
  .field {
    display: grid;
    grid-template-columns: minmax(80px, 40%) 1fr;
    gap: 2px 10px;
  }
  .field-error {
    grid-column: 2;
    color: var(--parley-danger, #c92a2a);
    font-size: 12px;
  }
  .label {
    font-weight: 600;
  }
  .muted {
    color: var(--parley-muted, #5c6670);
  }
`;
