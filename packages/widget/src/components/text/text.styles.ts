import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    line-height: 1.45;
    overflow-wrap: anywhere;
  }
  p {
    margin: 0 0 0.5em;
  }
  p:last-child {
    margin-bottom: 0;
  }
  ul,
  ol {
    margin: 0.25em 0;
    padding-inline-start: 1.25em;
  }
  a {
    color: inherit;
    text-decoration: underline;
  }
`;
