import { css } from 'lit';

export const styles = css`
  :host {
    display: block;
    height: 100%;
    min-height: 0;
  }
  .builder {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
    position: relative;
  }
  header {
    padding: 12px 16px 0;
  }
  h1 {
    margin: 0 0 8px;
    font-size: 1.25rem;
  }
  h1 small {
    font-weight: normal;
    color: var(--parley-muted, #5c6670);
    font-size: 0.85rem;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .toolbar .problems {
    color: var(--parley-danger, #c92a2a);
    border-color: currentColor;
  }
  .toolbar .ok {
    color: var(--parley-success, #2b8a3e);
  }
  .status {
    min-height: 1.4em;
    margin: 6px 0;
    font-size: 0.9rem;
    color: var(--parley-muted, #5c6670);
  }
  .failure {
    color: var(--parley-danger, #c92a2a);
  }
  .work {
    flex: 1;
    display: grid;
    grid-template-columns: minmax(0, 1fr) 360px;
    min-height: 0;
    border-top: 1px solid var(--parley-border, #dfe3e8);
  }
  .canvas {
    position: relative;
    overflow: hidden;
    background-color: var(--parley-surface-2, #f5f6f8);
    background-image: radial-gradient(var(--parley-border, #dfe3e8) 1px, transparent 1px);
    background-size: 20px 20px;
    cursor: grab;
    touch-action: none;
    min-height: 320px;
  }
  .canvas.connecting {
    cursor: crosshair;
  }
  .graph {
    position: absolute;
    inset: 0;
    display: block;
  }
  .edges {
    pointer-events: none;
  }
  .edge path {
    fill: none;
    stroke: var(--parley-muted, #8a939c);
    stroke-width: 1.6;
  }
  .edge.fail path,
  .edge.error path {
    stroke: var(--parley-danger, #c92a2a);
    stroke-dasharray: 5 4;
  }
  .edge.case path,
  .edge.else path {
    stroke: var(--parley-accent, #3b5bdb);
  }
  .edge text {
    font-size: 11px;
    fill: var(--parley-text, #1b1f24);
    paint-order: stroke;
    stroke: var(--parley-surface-2, #f5f6f8);
    stroke-width: 4px;
  }
  marker path {
    fill: var(--parley-muted, #8a939c);
  }
  .card {
    width: 100%;
    height: 100%;
    display: flex;
    flex-direction: column;
    align-items: stretch;
    gap: 4px;
    padding: 8px 10px;
    text-align: left;
    border-radius: 10px;
    background: var(--parley-surface, #fff);
    border: 1px solid var(--parley-border, #dfe3e8);
    box-shadow: 0 1px 3px rgb(0 0 0 / 0.08);
    overflow: hidden;
    cursor: pointer;
  }
  .card.selected {
    border-color: var(--parley-accent, #3b5bdb);
    box-shadow: 0 0 0 2px var(--parley-accent, #3b5bdb);
  }
  .card.invalid {
    border-color: var(--parley-danger, #c92a2a);
  }
  .card .head {
    display: flex;
    gap: 6px;
    align-items: center;
    font-size: 0.78rem;
  }
  .type,
  .start {
    text-transform: uppercase;
    letter-spacing: 0.04em;
    font-size: 0.68rem;
    padding: 1px 6px;
    border-radius: 999px;
    background: var(--parley-surface-2, #f0f2f5);
    color: var(--parley-muted, #5c6670);
  }
  .start {
    background: var(--parley-accent, #3b5bdb);
    color: var(--parley-accent-text, #fff);
  }
  .card .id {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .card .text {
    font-size: 0.82rem;
    line-height: 1.25;
    overflow: hidden;
    display: -webkit-box;
    -webkit-line-clamp: 2;
    -webkit-box-orient: vertical;
  }
  .card .options {
    display: flex;
    flex-wrap: wrap;
    gap: 3px;
  }
  .card .options span {
    font-size: 0.7rem;
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 999px;
    padding: 0 6px;
  }
  .card .problem {
    position: absolute;
    right: 6px;
    top: 6px;
    font-size: 0.75rem;
    font-weight: 600;
    color: var(--parley-danger, #c92a2a);
  }
  .panel {
    overflow: auto;
    padding: 12px 16px;
    border-left: 1px solid var(--parley-border, #dfe3e8);
    background: var(--parley-surface, #fff);
  }
  .panel h2 {
    font-size: 1rem;
    margin: 0 0 8px;
  }
  .panel label {
    display: block;
    margin: 10px 0 4px;
    font-size: 0.85rem;
    font-weight: 600;
  }
  .panel label.check {
    font-weight: normal;
    margin: 4px 0;
  }
  .panel input:not([type='checkbox']),
  .panel textarea,
  .panel select {
    width: 100%;
  }
  .panel .toolbar button,
  .panel .toolbar select {
    width: auto;
    min-height: 28px;
    padding: 2px 8px;
  }
  .panel textarea.json {
    font-family: ui-monospace, monospace;
    font-size: 0.8rem;
  }
  fieldset {
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 8px;
    margin: 10px 0;
    padding: 8px;
  }
  .option,
  .product {
    display: grid;
    grid-template-columns: 1fr 1fr;
    gap: 4px;
    margin-bottom: 6px;
  }
  .option select {
    grid-column: 1 / 2;
  }
  .field-problem {
    display: block;
    grid-column: 1 / -1;
    color: var(--parley-danger, #c92a2a);
    font-size: 0.8rem;
    margin-top: 2px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    margin-top: 14px;
  }
  .problem-list ul {
    padding-left: 18px;
  }
  .problem-list li {
    margin: 4px 0;
    font-size: 0.88rem;
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    min-height: 0;
    color: var(--parley-accent, #3b5bdb);
    text-decoration: underline;
  }
  .hint {
    color: var(--parley-muted, #5c6670);
    font-size: 0.88rem;
  }
  .try {
    position: absolute;
    right: 16px;
    bottom: 16px;
    width: 380px;
    height: min(600px, 80%);
    display: flex;
    flex-direction: column;
    background: var(--parley-surface, #fff);
    border: 1px solid var(--parley-border, #dfe3e8);
    border-radius: 12px;
    box-shadow: 0 8px 30px rgb(0 0 0 / 0.2);
    overflow: hidden;
    z-index: 2;
  }
  .try-head {
    display: flex;
    gap: 8px;
    align-items: center;
    padding: 6px 8px;
    font-size: 0.85rem;
    border-bottom: 1px solid var(--parley-border, #dfe3e8);
  }
  .try-head span {
    flex: 1;
    color: var(--parley-muted, #5c6670);
  }
  .try iframe {
    flex: 1;
    border: 0;
    width: 100%;
  }
  @media (max-width: 760px) {
    .work {
      grid-template-columns: 1fr;
      grid-template-rows: minmax(320px, 55vh) auto;
    }
    .panel {
      border-left: none;
      border-top: 1px solid var(--parley-border, #dfe3e8);
    }
    .try {
      left: 8px;
      right: 8px;
      width: auto;
    }
  }
`;
