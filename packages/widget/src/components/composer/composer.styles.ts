import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    border-top: 1px solid var(--_border);
    background: var(--_surface);
  }
  form {
    display: flex;
    gap: 0.5rem;
    padding: 0.6rem;
    align-items: center;
  }
  input {
    flex: 1;
    min-width: 0;
    font: inherit;
    font-size: 1rem;
    color: var(--_text);
    background: var(--_surface);
    border: 1.5px solid var(--_border);
    border-radius: 999px;
    padding: 0.55rem 0.9rem;
  }
  input::placeholder {
    color: var(--_muted);
    opacity: 1;
  }
  input:focus-visible {
    outline: none;
    border-color: var(--_focus);
    box-shadow: 0 0 0 2px var(--_focus);
  }
  button {
    flex: none;
    width: 40px;
    height: 40px;
    border-radius: 50%;
    border: 0;
    background: var(--_primary);
    color: var(--_on-primary);
    display: grid;
    place-items: center;
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  :host(:dir(rtl)) svg {
    transform: scaleX(-1);
  }
`;
