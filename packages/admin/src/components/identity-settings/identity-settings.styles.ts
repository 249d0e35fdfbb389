import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    max-width: 760px;
  }
  section {
    display: grid;
    gap: 10px;
  }
  p {
    margin: 0;
  }
  code[part='secret'],
  .masked {
    padding: 6px 8px;
    border-radius: 6px;
    background: var(--parley-surface-2, #f0f2f5);
    overflow-wrap: anywhere;
  }
  label.check {
    display: flex;
    gap: 8px;
    align-items: center;
    color: inherit;
    font-size: 14px;
  }
  label.check input {
    min-height: 0;
  }
  pre {
    margin: 0;
    padding: 10px 12px;
    border-radius: 8px;
    background: var(--parley-surface-2, #f0f2f5);
    overflow-x: auto;
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
`;
