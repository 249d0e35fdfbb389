import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    overflow-y: auto;
    overscroll-behavior: contain;
    overflow-anchor: none;
    background: var(--_surface);
  }
  .log {
    display: flex;
    flex-direction: column;
    gap: 0.75rem;
    padding: 1rem;
    min-height: 100%;
  }
  .end {
    align-self: center;
    display: flex;
    flex-direction: column;
    align-items: center;
    gap: 0.4rem;
    font-size: 0.85rem;
    color: var(--_muted);
  }
`;
