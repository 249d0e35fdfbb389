import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  div {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
`;
