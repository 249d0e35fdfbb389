import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    position: relative;
    border-top: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
    padding: 8px 12px calc(8px + env(safe-area-inset-bottom, 0px));
  }
  /* Note mode: the whole composer turns amber, like the notes in the timeline. */
  :host([mode='note']) {
    background: var(--parley-note-soft, #fff8db);
    border-top: 2px solid var(--parley-note-border, #f0c36d);
  }
  :host([mode='note']) [part='input'] {
    border-color: var(--parley-note-border, #f0c36d);
  }
  :host([mode='note']) [part='send'] {
    background: var(--parley-note, #8a5a00);
    border-color: var(--parley-note, #8a5a00);
    color: var(--parley-note-text, #fff);
  }
  [part='modes'] {
    display: flex;
    align-items: center;
    gap: 0;
    margin-bottom: 6px;
    font-size: 12.5px;
  }
  [part='mode'] {
    display: inline-flex;
    position: relative;
    color: var(--parley-muted, #5c6670);
    font-size: inherit;
  }
  /* The radio itself is hidden but stays focusable; its label shows the state and the focus ring. */
  [part='mode'] input {
    position: absolute;
    opacity: 0;
    width: 1px;
    height: 1px;
    margin: 0;
    min-height: 0;
  }
  [part='mode'] span {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    padding: 3px 12px;
    min-height: 28px;
    border: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
    cursor: pointer;
    font-weight: 500;
  }
  [part='mode'] .icon {
    width: 14px;
    height: 14px;
  }
  [part='mode'][data-mode='reply'] span {
    border-radius: 8px 0 0 8px;
  }
  [part='mode'][data-mode='note'] {
    margin-left: -1px;
  }
  [part='mode'][data-mode='note'] span {
    border-radius: 0 8px 8px 0;
  }
  [part='mode'] input:checked + span {
    position: relative;
    z-index: 1;
    background: var(--parley-accent-soft, #e7ecff);
    border-color: var(--parley-accent, #3b5bdb);
    color: var(--parley-text, #1b1f24);
    font-weight: 600;
  }
  [part='mode'][data-mode='note'] input:checked + span {
    background: var(--parley-note-border, #f0c36d);
    border-color: var(--parley-note-border, #f0c36d);
    color: var(--parley-text, #1b1f24);
  }
  [part='mode'] input:focus-visible + span {
    outline: 2px solid var(--parley-accent, #3b5bdb);
    outline-offset: 1px;
    position: relative;
    z-index: 2;
  }
  .only-agents {
    margin-left: 10px;
    color: var(--parley-note, #8a5a00);
    font-weight: 600;
  }
  [part='form'] {
    display: flex;
    gap: 8px;
    align-items: flex-end;
  }
  [part='input'] {
    flex: 1;
    resize: none;
    min-height: 40px;
    max-height: 160px;
    line-height: 1.4;
    font-size: 14px;
  }
  [part='send'] {
    min-height: 40px;
  }
  [part='hint'] {
    font-size: 11.5px;
    color: var(--parley-muted, #5c6670);
    margin-top: 4px;
  }
  [part='saved-replies'] {
    position: absolute;
    left: 12px;
    right: 12px;
    bottom: calc(100% + 4px);
    z-index: 5;
    display: grid;
    grid-template-columns: max-content 1fr;
    margin: 0;
    padding: 4px;
    list-style: none;
    max-height: min(264px, 45vh);
    overflow-y: auto;
    background: var(--parley-surface, #fff);
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: var(--parley-radius, 10px);
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.16);
  }
  [part='saved-replies'][hidden] {
    display: none;
  }
  /* Each option spans the list's two columns, so every shortcut lines up with the others. */
  [part='saved-reply'] {
    grid-column: 1 / -1;
    display: grid;
    grid-template-columns: subgrid;
    gap: 12px;
    align-items: baseline;
    padding: 7px 10px;
    border-radius: 6px;
    cursor: pointer;
    font-size: 13.5px;
    line-height: 1.35;
  }
  [part='saved-reply']:hover {
    background: var(--parley-surface-2, #f0f2f5);
  }
  [part='saved-reply'][aria-selected='true'] {
    background: var(--parley-accent-soft, #e7ecff);
  }
  [part='saved-reply'] code {
    font-weight: 600;
    color: var(--parley-accent, #3b5bdb);
  }
  [part='saved-reply'] span {
    min-width: 0;
    overflow: hidden;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow-wrap: anywhere;
    color: var(--parley-muted, #5c6670);
  }
  [part='saved-reply'][aria-selected='true'] span {
    color: var(--parley-text, #1b1f24);
  }
  @media (max-width: 720px) {
    [part='hint'] {
      display: none;
    }
  }
`;
