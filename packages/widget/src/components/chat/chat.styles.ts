import { css, unsafeCSS } from 'lit';
import { darkTokens } from '../../styles/tokens.js';

const dark = unsafeCSS(darkTokens.cssText);

export const styles = css`
  :host {
    --_z: var(--parley-z-index, 2147483000);
    --_width: var(--parley-width, 380px);
    --_height: var(--parley-height, 620px);
    --_offset: var(--parley-offset, 20px);
    font-size: 15px;
    line-height: 1.4;
  }
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${dark}
    }
  }
  :host([mode='floating']) {
    position: fixed;
    bottom: var(--_offset);
    right: var(--_offset);
    z-index: var(--_z);
  }
  :host([mode='floating'][position='left']) {
    right: auto;
    left: var(--_offset);
  }
  :host([mode='inline']) {
    display: block;
    height: 100%;
    min-height: 420px;
  }
  :host([mode='page']) {
    position: fixed;
    inset: 0;
  }
  .launcher {
    position: relative;
    width: 56px;
    height: 56px;
    border-radius: 50%;
    border: 0;
    background: var(--_primary);
    color: var(--_on-primary);
    box-shadow: 0 4px 14px rgb(0 0 0 / 0.25);
    cursor: pointer;
    display: grid;
    place-items: center;
    margin-inline-start: auto;
  }
  :host([position='left']) .launcher {
    margin-inline-start: 0;
  }
  .badge {
    position: absolute;
    top: -4px;
    right: -4px;
    min-width: 22px;
    height: 22px;
    padding: 0 6px;
    border-radius: 11px;
    background: #c4141a;
    color: #fff;
    font-size: 12px;
    font-weight: 700;
    display: grid;
    place-items: center;
    border: 2px solid #fff;
  }
  .panel {
    display: flex;
    flex-direction: column;
    background: var(--_surface);
    color: var(--_text);
    overflow: hidden;
  }
  :host([mode='floating']) .panel {
    position: absolute;
    bottom: 72px;
    right: 0;
    width: var(--_width);
    height: min(var(--_height), calc(100vh - 120px));
    border-radius: var(--_radius);
    box-shadow: 0 12px 40px rgb(0 0 0 / 0.28);
    border: 1px solid var(--_border);
  }
  :host([mode='floating'][position='left']) .panel {
    right: auto;
    left: 0;
  }
  :host([launcher='none']) .panel {
    bottom: 0;
  }
  :host([mode='inline']) .panel,
  :host([mode='page']) .panel {
    height: 100%;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  :host([mode='page']) .panel {
    border: 0;
    border-radius: 0;
  }
  .panel[hidden] {
    display: none;
  }
  header {
    display: flex;
    align-items: center;
    gap: 0.75rem;
    padding: 0.75rem 0.75rem 0.75rem 1rem;
    background: var(--_primary);
    color: var(--_on-primary);
  }
  header div {
    flex: 1;
    min-width: 0;
  }
  h2 {
    margin: 0;
    font-size: 1.05rem;
    font-weight: 650;
  }
  .status {
    margin: 0.1rem 0 0;
    font-size: 0.8rem;
    display: flex;
    align-items: center;
    gap: 0.35rem;
  }
  .dot {
    width: 8px;
    height: 8px;
    border-radius: 50%;
    background: #f5b400;
    box-shadow: 0 0 0 1.5px var(--_on-primary);
  }
  .status[data-state='online'] .dot,
  .status[data-state='polling'] .dot {
    background: #1fbf5b;
  }
  .close {
    width: 36px;
    height: 36px;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
    cursor: pointer;
    display: grid;
    place-items: center;
  }
  .handoff {
    flex: none;
    font: inherit;
    font-size: 0.8rem;
    color: inherit;
    background: transparent;
    border: 1.5px solid currentColor;
    border-radius: 999px;
    padding: 0.3rem 0.7rem;
    cursor: pointer;
  }
  .handoff:hover,
  .close:hover {
    background: rgb(255 255 255 / 0.15);
  }
  header :focus-visible {
    outline-color: var(--_on-primary);
  }
  parley-thread {
    flex: 1;
    min-height: 0;
  }
  @media (max-width: 480px) {
    :host([mode='floating']) .panel {
      position: fixed;
      inset: 0;
      width: 100%;
      height: 100%;
      border-radius: 0;
      border: 0;
    }
    :host([mode='floating'][open]) .launcher {
      display: none;
    }
  }
`;
