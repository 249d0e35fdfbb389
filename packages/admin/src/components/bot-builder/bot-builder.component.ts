import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { checkFlow, formatFlowProblem, type CatalogProduct, type FlowProblem, type FlowStep, type TryFlowResponse } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { ApiRequestError, errorMessage } from '../../api/errors.js';
import { controls } from '../../styles/shared.js';
import { saveFile } from '../../lib/save-file.js';
import { History } from './history.js';
import { addStep, connect, deleteStep, duplicateStep, renameStep, setField, variablesOf, type FlowDoc } from './edit.js';
import { renderCanvas } from './canvas.js';
import { renderStepForm } from './step-form.js';
import { renderCatalog } from './catalog-form.js';
import { TEMPLATES } from './templates.js';
import { renderProblemList, renderToolbar } from './toolbar.js';
import { styles } from './bot-builder.styles.js';
import { stepFormStyles } from './step-form.styles.js';

/**
 * Where the "Try it" frame goes: the server's `/try-it` page (the real widget, full-window), after
 * the test session is saved where the widget looks for it (this origin's `localStorage`).
 */
export function tryItUrl(trial: TryFlowResponse, origin: string, dark: boolean): string {
  localStorage.setItem(`parley:${origin}:${trial.site_key}`, JSON.stringify({ session: trial.session_token, read: 0, outbox: [] }));
  return `/try-it?site=${encodeURIComponent(trial.site_key)}&theme=${dark ? 'dark' : 'light'}&c=${encodeURIComponent(trial.conversation_id)}`;
}

/**
 * The bot builder (`/admin/bot`, admins): the company's flow as a graph (a card per step, an arrow
 * per transition, laid out in layers from `start`), a side panel to edit the selected step or the
 * catalog, undo/redo, problems from the shared validator pinned to their step as you type, "Try
 * it" in a real widget, drafts, publishing, templates, import and export. Loaded only when its
 * screen opens.
 *
 * Keyboard: Tab through the cards, Enter selects; on the canvas arrow keys pan, `+`/`-` zoom, `0`
 * fits; Ctrl+Z / Ctrl+Shift+Z undo and redo; Delete removes the selected step; Esc cancels "Connect".
 *
 * @csspart toolbar - the actions above the canvas
 * @csspart canvas - the graph (pan by dragging, zoom with the wheel)
 * @csspart step - each step's card
 * @csspart panel - the side panel (step form, catalog, problems)
 * @csspart try - the "Try it" widget frame
 */
export class ParleyBotBuilder extends LitElement {
  static override styles = [controls, styles, stepFormStyles];
  static override properties = {
    api: { attribute: false },
    dark: { type: Boolean },
    doc: { state: true },
    selected: { state: true },
    view: { state: true },
    connecting: { state: true },
    message: { state: true },
    failure: { state: true },
    trial: { state: true },
    published: { state: true },
    panel: { state: true },
  };

  declare api: ApiClient | undefined;
  declare dark: boolean;
  declare private doc: FlowDoc | undefined;
  declare private selected: string | undefined;
  declare private view: { x: number; y: number; scale: number };
  /** The step whose exit (`connectField`) the next card click sets ("Connect…"). */
  declare private connecting: string | undefined;
  private connectField = 'next';
  declare private message: string;
  declare private failure: string;
  declare private trial: TryFlowResponse | undefined;
  declare private published: number | undefined;
  declare private panel: 'step' | 'catalog' | 'problems';
  private history: History<FlowDoc> | undefined;
  private drag: { x: number; y: number; vx: number; vy: number } | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.dark = false;
    this.view = { x: 24, y: 24, scale: 1 };
    this.message = '';
    this.failure = '';
    this.panel = 'step';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') && this.api && !this.doc) void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.saveTimer);
  }

  /** The problems of the document being edited, from the validator the server uses too. */
  get problems(): FlowProblem[] {
    return this.doc ? checkFlow(this.doc) : [];
  }

  private async load(): Promise<void> {
    try {
      const [draft, live] = await Promise.all([this.api!.flowDraft(), this.api!.companyFlow().catch(() => undefined)]);
      this.published = live?.version;
      const doc = (draft.draft ?? live?.flow ?? TEMPLATES[0]!.flow()) as FlowDoc;
      this.history = new History(doc);
      this.doc = doc;
      this.message = draft.draft ? 'Your unpublished draft.' : live ? `Version ${live.version} is live.` : '';
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  /** Applies an edit: recorded for undo, checked, and saved as the draft a moment later. */
  private change(doc: FlowDoc, key?: string): void {
    this.history?.push(doc, key);
    this.doc = doc;
    this.failure = '';
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => void this.saveDraft(true), 1500);
  }

  private undo(): void {
    if (this.history?.canUndo) this.doc = this.history.undo();
  }

  private redo(): void {
    if (this.history?.canRedo) this.doc = this.history.redo();
  }

  private async saveDraft(quiet = false): Promise<void> {
    clearTimeout(this.saveTimer);
    if (!this.doc || !this.api) return;
    try {
      await this.api.saveFlowDraft(this.doc);
      if (!quiet) this.message = 'Draft saved.';
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  private async publish(): Promise<void> {
    if (!this.doc || !this.api) return;
    if (this.problems.length) {
      this.panel = 'problems';
      this.failure = 'Fix the problems first.';
      return;
    }
    try {
      const { version } = await this.api.publishFlow(this.doc);
      this.published = version;
      this.message = `Published: version ${version} is live. Conversations already running keep their version.`;
      await this.api.saveFlowDraft(this.doc);
    } catch (error) {
      this.failure = error instanceof ApiRequestError && error.problems.length ? error.problems.map(formatFlowProblem).join('; ') : errorMessage(error);
    }
  }

  private async tryIt(startAt?: string): Promise<void> {
    if (!this.doc || !this.api) return;
    try {
      this.trial = await this.api.tryFlow(this.doc, startAt);
    } catch (error) {
      this.failure = error instanceof ApiRequestError && error.problems.length ? `Fix the problems first: ${error.problems.map(formatFlowProblem).join('; ')}` : errorMessage(error);
    }
  }

  private select(id: string): void {
    if (this.connecting && this.doc) {
      const from = this.connecting;
      this.connecting = undefined;
      this.change(connect(this.doc, from, this.connectField, id));
      this.message = this.connectField === 'next' ? `${from} now leads to ${id}.` : `${from} (${this.connectField}) now leads to ${id}.`;
      return;
    }
    this.selected = id;
    this.panel = 'step';
  }

  private add(type: FlowStep['type']): void {
    if (!this.doc) return;
    const { doc, id } = addStep(this.doc, type, this.selected);
    this.change(doc);
    this.selected = id;
    this.panel = 'step';
  }

  private stepAction(kind: 'duplicate' | 'delete' | 'start' | 'connect' | 'try', field = 'next'): void {
    const id = this.selected;
    if (!this.doc || !id) return;
    if (kind === 'duplicate') {
      const made = duplicateStep(this.doc, id);
      this.change(made.doc);
      this.selected = made.id;
    } else if (kind === 'delete') {
      this.change(deleteStep(this.doc, id));
      this.selected = undefined;
    } else if (kind === 'start') {
      this.change({ ...this.doc, start: id });
    } else if (kind === 'connect') {
      this.connecting = id;
      this.connectField = field;
      this.message = `Click the step "${id}"${field === 'next' ? '' : ` (${field})`} should lead to (Esc cancels).`;
    } else void this.tryIt(id);
  }

  private useTemplate(id: string): void {
    const template = TEMPLATES.find((t) => t.id === id);
    if (!template) return;
    this.change(template.flow() as FlowDoc);
    this.selected = undefined;
    this.message = `Started from "${template.title}". Undo brings your work back.`;
  }

  private async importFile(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      const doc = JSON.parse(await file.text()) as FlowDoc;
      if (!doc || typeof doc !== 'object' || typeof doc.steps !== 'object') throw new Error('This file is not a flow');
      this.change(doc);
      this.message = `Imported ${file.name}.`;
    } catch (error) {
      this.failure = `Cannot import ${file.name}: ${errorMessage(error)}`;
    }
  }

  private zoom(factor: number): void {
    this.view = { ...this.view, scale: Math.min(2, Math.max(0.3, +(this.view.scale * factor).toFixed(3))) };
  }

  private readonly onCanvasKey = (event: KeyboardEvent): void => {
    const pan: Record<string, [number, number]> = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] };
    const step = pan[event.key];
    if (step && event.target === event.currentTarget) {
      event.preventDefault();
      this.view = { ...this.view, x: this.view.x + step[0], y: this.view.y + step[1] };
    } else if (event.key === '+' || event.key === '=') this.zoom(1.2);
    else if (event.key === '-') this.zoom(1 / 1.2);
    else if (event.key === '0') this.view = { x: 24, y: 24, scale: 1 };
  };

  private readonly onKey = (event: KeyboardEvent): void => {
    const typing = /^(INPUT|TEXTAREA|SELECT)$/.test((event.composedPath()[0] as HTMLElement)?.tagName ?? '');
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'z' && !typing) {
      event.preventDefault();
      if (event.shiftKey) this.redo();
      else this.undo();
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'y' && !typing) {
      event.preventDefault();
      this.redo();
    } else if (event.key === 'Escape' && this.connecting) {
      this.connecting = undefined;
      this.message = '';
    } else if (event.key === 'Delete' && !typing && this.selected) this.stepAction('delete');
  };

  private onPointerDown(event: PointerEvent): void {
    if ((event.target as HTMLElement).closest('.card')) return;
    // A click on the empty canvas clears the selection (a new step then starts unconnected).
    if (!this.connecting) this.selected = undefined;
    this.drag = { x: event.clientX, y: event.clientY, vx: this.view.x, vy: this.view.y };
    (event.currentTarget as HTMLElement).setPointerCapture?.(event.pointerId);
  }

  private onPointerMove(event: PointerEvent): void {
    if (!this.drag) return;
    this.view = { ...this.view, x: this.drag.vx + event.clientX - this.drag.x, y: this.drag.vy + event.clientY - this.drag.y };
  }

  private sidePanel(problems: FlowProblem[]): TemplateResult {
    const doc = this.doc!;
    if (this.panel === 'catalog') {
      return renderCatalog(doc, problems, (catalog: CatalogProduct[] | undefined, currency: string | undefined) => {
        const next: FlowDoc = { ...doc };
        if (catalog?.length) next.catalog = catalog;
        else delete next.catalog;
        if (currency) next.currency = currency;
        else delete next.currency;
        this.change(next, 'catalog');
      });
    }
    const id = this.selected && Object.hasOwn(doc.steps, this.selected) ? this.selected : undefined;
    if (this.panel === 'problems' || !id) {
      return renderProblemList(doc, problems, (step) => this.select(step));
    }
    return renderStepForm(doc, id, problems.filter((p) => p.step === id), variablesOf(doc), {
      set: (field, value) => this.change(setField(doc, id, field, value), `${id}.${field}`),
      replace: (step) => this.change({ ...doc, steps: { ...doc.steps, [id]: step } }),
      rename: (to) => {
        if (!/^[A-Za-z0-9_.-]{1,64}$/.test(to) || Object.hasOwn(doc.steps, to)) return;
        this.change(renameStep(doc, id, to));
        this.selected = to;
      },
      action: (kind, field) => this.stepAction(kind, field),
    });
  }

  override render(): TemplateResult {
    if (!this.doc) return html`<p class="loading">${this.failure || 'Loading the bot…'}</p>`;
    const problems = this.problems;
    const byStep = new Map<string, FlowProblem[]>();
    for (const p of problems) if (p.step !== null) byStep.set(p.step, [...(byStep.get(p.step) ?? []), p]);
    return html`<div class="builder" @keydown=${this.onKey}>
      <header>
        <h1>Bot <small>${this.doc.name}${this.published ? html` · version ${this.published} live` : nothing}</small></h1>
        ${renderToolbar(problems, { undo: !!this.history?.canUndo, redo: !!this.history?.canRedo }, {
          template: (id) => this.useTemplate(id),
          add: (type) => this.add(type),
          undo: () => this.undo(),
          redo: () => this.redo(),
          zoom: (factor) => this.zoom(factor),
          panel: (which) => (this.panel = which),
          importFile: (e) => void this.importFile(e),
          exportFile: () => this.doc && saveFile(JSON.stringify(this.doc, null, 2), 'application/json', `${this.doc.id || 'flow'}.json`),
          saveDraft: () => void this.saveDraft(),
          tryIt: () => void this.tryIt(),
          publish: () => void this.publish(),
        })}
        <p class="status" role="status">${this.failure ? html`<span class="failure">${this.failure}</span>` : this.message}</p>
      </header>
      <div class="work">
        <div
          part="canvas"
          class="canvas ${this.connecting ? 'connecting' : ''}"
          tabindex="0"
          role="group"
          aria-label="Flow graph: arrow keys pan, + and - zoom"
          @keydown=${this.onCanvasKey}
          @pointerdown=${(e: PointerEvent) => this.onPointerDown(e)}
          @pointermove=${(e: PointerEvent) => this.onPointerMove(e)}
          @pointerup=${() => (this.drag = undefined)}
          @wheel=${(e: WheelEvent) => {
            e.preventDefault();
            this.zoom(e.deltaY < 0 ? 1.1 : 1 / 1.1);
          }}
        >
          ${renderCanvas({ doc: this.doc, selected: this.selected, problems: byStep, view: this.view, connecting: this.connecting, onSelect: (id) => this.select(id) })}
        </div>
        <aside part="panel" class="panel">${this.sidePanel(problems)}</aside>
      </div>
      ${this.trial
        ? html`<div class="try" role="dialog" aria-label="Try it">
            <div class="try-head"><b>Try it</b> <span>a test conversation, not shown in the inbox</span>
              <button type="button" @click=${() => this.tryIt()}>Restart</button>
              <button type="button" @click=${() => (this.trial = undefined)} aria-label="Close Try it">×</button>
            </div>
            <iframe part="try" title="Try it" src=${tryItUrl(this.trial, location.origin, this.dark)}></iframe>
          </div>`
        : nothing}
    </div>`;
  }
}
