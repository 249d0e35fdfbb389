import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  form {
    display: grid;
    gap: 0.6rem;
    background: var(--_surface-2);
    border-radius: 10px;
    padding: 0.75rem;
  }
  label {
    display: grid;
    gap: 0.25rem;
    font-size: 0.85rem;
    color: var(--_muted);
  }
  input,
  select {
    font: inherit;
    font-size: 0.95rem;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 8px;
    padding: 0.45rem 0.6rem;
    min-height: 38px;
    width: 100%;
  }
  [aria-invalid='true'] {
    border-color: var(--_error);
  }
  [part='field-error'] {
    color: var(--_error);
  }
  .btn {
    justify-self: start;
  }
`;
