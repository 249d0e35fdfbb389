import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    margin: 2px 0;
  }
  :host([role-name='agent']),
  :host([role-name='bot']) {
    align-items: flex-end;
  }
  :host([role-name='system']) {
    align-items: center;
  }
  [part='author'] {
    font-size: 11.5px;
    color: var(--parley-muted, #5c6670);
    margin: 6px 8px 2px;
  }
  [part='bubble'] {
    max-width: min(560px, 85%);
    border-radius: 14px;
    padding: 8px 12px;
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    min-width: 0;
    gap: 6px;
    background: var(--parley-bubble-user, #fff);
    border: 1px solid var(--parley-border, #dfe3e8);
    border-bottom-left-radius: 4px;
  }
  :host([role-name='agent']) [part='bubble'] {
    background: var(--parley-bubble-agent, #3b5bdb);
    color: var(--parley-bubble-agent-text, #fff);
    border-color: transparent;
    border-radius: 14px;
    border-bottom-right-radius: 4px;
  }
  :host([role-name='bot']) [part='bubble'] {
    background: var(--parley-bubble-bot, #eef0f4);
    border-color: transparent;
    border-radius: 14px;
    border-bottom-right-radius: 4px;
  }
  :host([role-name='system']) [part='bubble'] {
    background: transparent;
    border: 0;
    padding: 2px 8px;
    font-size: 12px;
    color: var(--parley-muted, #5c6670);
    text-align: center;
  }
  :host([state='sending']) [part='bubble'] {
    opacity: 0.65;
  }
  :host([state='failed']) [part='bubble'] {
    outline: 2px solid var(--parley-danger, #c92a2a);
  }
  [part='meta'] {
    font-size: 11px;
    color: var(--parley-muted, #5c6670);
    margin: 2px 8px 0;
    display: flex;
    gap: 8px;
    align-items: center;
  }
  [part='retry'] {
    font: inherit;
    border: 0;
    background: none;
    color: var(--parley-danger, #c92a2a);
    cursor: pointer;
    text-decoration: underline;
    padding: 0;
  }
`;
