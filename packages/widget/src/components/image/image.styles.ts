import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  img {
    display: block;
    max-width: 100%;
    max-height: 240px;
    border-radius: calc(var(--_radius) - 6px);
    background: var(--_surface-2);
  }
`;
