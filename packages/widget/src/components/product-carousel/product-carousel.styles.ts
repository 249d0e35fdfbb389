import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    position: relative;
  }
  ul {
    display: flex;
    gap: 0.5rem;
    overflow-x: auto;
    scroll-snap-type: x mandatory;
    scroll-behavior: smooth;
    list-style: none;
    margin: 0;
    padding: 2px 2px 6px;
    scrollbar-width: thin;
  }
  li {
    flex: 0 0 min(150px, 70%);
    scroll-snap-align: start;
  }
  .card {
    display: flex;
    flex-direction: column;
    width: 100%;
    height: 100%;
    text-align: start;
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 4px);
    padding: 0.5rem;
    cursor: pointer;
    gap: 0.2rem;
  }
  .card:hover:not(:disabled) {
    border-color: var(--_primary);
  }
  .card[aria-pressed='true'] {
    border: 2px solid var(--_primary);
  }
  .card:disabled {
    cursor: default;
  }
  img {
    width: 100%;
    height: 80px;
    object-fit: cover;
    border-radius: 6px;
  }
  .name {
    font-weight: 600;
  }
  .meta {
    font-size: 0.85em;
    color: var(--_muted);
  }
  .select {
    margin-top: auto;
    font-size: 0.85em;
    font-weight: 600;
    color: var(--_accent);
  }
  @media (prefers-reduced-motion: reduce) {
    ul {
      scroll-behavior: auto;
    }
  }
`;
