import { html, nothing, type TemplateResult } from 'lit';
import type { FlowProblem, FlowStep } from '@parley/protocol';
import { NEW_STEP, type FlowDoc } from './edit.js';
import { TEMPLATES } from './templates.js';

/** What the toolbar asks of the builder. */
export interface ToolbarHandlers {
  template: (id: string) => void;
  add: (type: FlowStep['type']) => void;
  undo: () => void;
  redo: () => void;
  zoom: (factor: number) => void;
  panel: (which: 'catalog' | 'problems') => void;
  importFile: (event: Event) => void;
  exportFile: () => void;
  saveDraft: () => void;
  tryIt: () => void;
  publish: () => void;
}

/** The actions above the canvas: templates, add a step, undo/redo, zoom, problems, catalog, files, draft, try, publish. */
export function renderToolbar(problems: FlowProblem[], can: { undo: boolean; redo: boolean }, h: ToolbarHandlers): TemplateResult {
  const types = Object.keys(NEW_STEP) as FlowStep['type'][];
  return html`<div part="toolbar" class="toolbar" role="toolbar" aria-label="Bot builder">
    <select aria-label="Start from a template" @change=${(e: Event) => {
      const select = e.target as HTMLSelectElement;
      h.template(select.value);
      select.value = '';
    }}>
      <option value="">Templates…</option>
      ${TEMPLATES.map((t) => html`<option value=${t.id} title=${t.summary}>${t.title}</option>`)}
    </select>
    <select aria-label="Add a step" @change=${(e: Event) => {
      const select = e.target as HTMLSelectElement;
      if (select.value) h.add(select.value as FlowStep['type']);
      select.value = '';
    }}>
      <option value="">Add step…</option>
      ${types.map((t) => html`<option value=${t}>${t}</option>`)}
    </select>
    <button type="button" @click=${h.undo} ?disabled=${!can.undo} title="Undo (Ctrl+Z)">Undo</button>
    <button type="button" @click=${h.redo} ?disabled=${!can.redo} title="Redo (Ctrl+Shift+Z)">Redo</button>
    <button type="button" @click=${() => h.zoom(1 / 1.2)} aria-label="Zoom out">−</button>
    <button type="button" @click=${() => h.zoom(1.2)} aria-label="Zoom in">+</button>
    <button type="button" class=${problems.length ? 'problems' : 'ok'} @click=${() => h.panel('problems')} data-problems=${problems.length}>
      ${problems.length ? `${problems.length} problem${problems.length > 1 ? 's' : ''}` : 'No problems'}
    </button>
    <button type="button" @click=${() => h.panel('catalog')}>Catalog</button>
    <label class="button">Import<input type="file" accept="application/json,.json" hidden @change=${h.importFile} /></label>
    <button type="button" @click=${h.exportFile}>Export</button>
    <button type="button" @click=${h.saveDraft}>Save draft</button>
    <button type="button" @click=${h.tryIt}>Try it</button>
    <button type="button" class="primary" @click=${h.publish}>Publish</button>
  </div>`;
}

/** Every problem of the flow, each linking to its step when it has one. */
export function renderProblemList(doc: FlowDoc, problems: FlowProblem[], select: (id: string) => void): TemplateResult {
  return html`<section class="problem-list" aria-label="Problems">
    <h2>${problems.length ? 'Problems' : 'No problems'}</h2>
    ${problems.length ? nothing : html`<p class="hint">Select a step to edit it, or add one from the toolbar.</p>`}
    <ul>
      ${problems.map(
        (p) => html`<li>
          ${p.step !== null && Object.hasOwn(doc.steps, p.step) ? html`<button type="button" class="link" @click=${() => select(p.step!)}>${p.step}</button>` : html`<b>${p.step ?? 'flow'}</b>`}
          ${p.field ? html`<code>${p.field}</code>` : nothing} ${p.message}
        </li>`,
      )}
    </ul>
  </section>`;
}
