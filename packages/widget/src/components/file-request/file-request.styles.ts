import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
  }
  .zone {
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.35rem;
    border: 2px dashed var(--_border);
    border-radius: calc(var(--_radius) - 4px);
    padding: 0.75rem;
    text-align: center;
    background: var(--_surface);
  }
  .zone.over {
    border-color: var(--_primary);
    background: var(--_surface-2);
  }
  .prompt,
  .hint {
    margin: 0;
    font-size: 0.85em;
    color: var(--_muted);
  }
  input {
    position: absolute;
    opacity: 0;
    width: 1px;
    height: 1px;
  }
  label.btn:focus-within {
    outline: 2px solid var(--_focus);
    outline-offset: 2px;
  }
  img {
    max-width: 100%;
    max-height: 140px;
    border-radius: 6px;
  }
  progress {
    width: 100%;
    accent-color: var(--_primary);
  }
  .status {
    font-size: 0.85em;
  }
`;
