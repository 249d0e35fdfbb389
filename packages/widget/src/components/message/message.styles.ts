import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    gap: 0.5rem;
    align-items: flex-end;
    max-width: 100%;
  }
  :host([role-name='user']) {
    flex-direction: row-reverse;
  }
  :host([role-name='system']) {
    justify-content: center;
  }
  .avatar {
    flex: none;
    width: 28px;
    height: 28px;
    border-radius: 50%;
    background: var(--_primary);
    color: var(--_on-primary);
    display: grid;
    place-items: center;
    font-size: 0.8rem;
    font-weight: 700;
    object-fit: cover;
  }
  .body {
    display: flex;
    flex-direction: column;
    gap: 0.35rem;
    min-width: 0;
    max-width: 85%;
  }
  :host([role-name='user']) .body {
    align-items: flex-end;
  }
  .meta {
    font-size: 0.75rem;
    color: var(--_muted);
    display: flex;
    gap: 0.4em;
  }
  .bubble {
    padding: 0.5rem 0.75rem;
    border-radius: var(--_radius);
    border-end-start-radius: 4px;
    background: var(--_surface-2);
    color: var(--_text);
    max-width: 100%;
  }
  :host([role-name='user']) .bubble {
    background: var(--_primary);
    color: var(--_on-primary);
    border-end-start-radius: var(--_radius);
    border-end-end-radius: 4px;
  }
  :host([pending]) .bubble {
    opacity: 0.75;
  }
  .wide {
    width: 100%;
  }
  .notice {
    font-size: 0.8rem;
    color: var(--_muted);
    text-align: center;
    padding: 0.35rem 0.85rem;
    border-radius: 12px;
    background: var(--_surface-2);
    max-width: 90%;
  }
  .notice .bubble {
    background: none;
    padding: 0;
  }
  .status {
    font-size: 0.75rem;
    color: var(--_muted);
  }
  .failed {
    color: var(--_error);
  }
  .link {
    font: inherit;
    background: none;
    border: 0;
    padding: 0;
    color: var(--_accent);
    text-decoration: underline;
    cursor: pointer;
  }
`;
