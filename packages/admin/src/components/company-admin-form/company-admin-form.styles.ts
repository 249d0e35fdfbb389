import { css } from 'lit';

export const styles = css`
  :host {
    display: grid;
    gap: 8px;
    min-width: 0;
    /* Set apart from the company's details above it. */
    background: var(--parley-surface-2, #f0f2f5);
    border-radius: 8px;
    padding: 10px 12px;
  }
  [part='form'] {
    display: grid;
    /* min(): one column on a phone instead of fields wider than the card. */
    grid-template-columns: repeat(auto-fit, minmax(min(160px, 100%), 1fr));
    gap: 10px;
    align-items: end;
  }
  label {
    min-width: 0;
  }
  input {
    width: 100%;
  }
  .ok {
    color: var(--parley-ok, #2b8a3e);
  }
`;
