import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  .card {
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 4px);
    padding: 0.6em 0.8em;
    background: var(--_surface);
  }
  .title {
    font-weight: 600;
    margin: 0 0 0.3em;
  }
  .excerpt {
    margin: 0 0 0.4em;
    line-height: 1.45;
  }
  a {
    color: var(--_primary);
  }
  .cite {
    font-size: 0.9em;
  }
  .cite::before {
    content: '\\2197\\00a0';
    color: var(--_muted);
  }
`;
