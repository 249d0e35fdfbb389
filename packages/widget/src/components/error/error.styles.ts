import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  div {
    display: flex;
    gap: 0.5em;
    align-items: flex-start;
    color: var(--_error);
    background: var(--_error-bg);
    border-inline-start: 3px solid var(--_error);
    border-radius: 6px;
    padding: 0.45em 0.7em;
    line-height: 1.4;
  }
  svg {
    flex: none;
    margin-top: 0.15em;
  }
`;
