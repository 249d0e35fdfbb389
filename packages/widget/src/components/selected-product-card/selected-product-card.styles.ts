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
  .name {
    font-weight: 600;
    margin: 0 0 0.3em;
  }
  dl {
    display: grid;
    grid-template-columns: auto auto;
    justify-content: space-between;
    gap: 0.15em 1em;
    margin: 0;
    font-size: 0.9em;
  }
  dt {
    color: var(--_muted);
  }
  dd {
    margin: 0;
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  .total {
    font-weight: 700;
    color: var(--_text);
  }
`;
