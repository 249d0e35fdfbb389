import { html, svg, nothing, type TemplateResult } from 'lit';
import { transitions, type FlowProblem, type FlowStep, type FlowTransition } from '@parley/protocol';
import { CARD, layeredLayout, type Placed } from './layout.js';
import type { FlowDoc } from './edit.js';

/** What the canvas needs to draw: the flow, the selection, problems by step and the view. */
export interface CanvasModel {
  doc: FlowDoc;
  selected: string | undefined;
  problems: Map<string, FlowProblem[]>;
  view: { x: number; y: number; scale: number };
  connecting: string | undefined;
  onSelect: (id: string) => void;
}

/** Text without its light-HTML tags, shortened for a card. */
export function plainText(html: unknown, max = 90): string {
  if (typeof html !== 'string') return '';
  const text = html.replace(/<[^>]*>/g, '').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function arrows(step: Record<string, unknown>): FlowTransition[] {
  try {
    return transitions(step as FlowStep).filter((t) => typeof t.to === 'string');
  } catch {
    return [];
  }
}

/** One arrow: from the bottom of a card to the top of another (or around, for a way back up). */
function edge(from: Placed, to: Placed, t: FlowTransition, index: number, count: number): TemplateResult {
  const sx = from.x + (CARD.width * (index + 1)) / (count + 1);
  const sy = from.y + CARD.height;
  const tx = to.x + CARD.width / 2;
  const ty = to.y;
  const back = to.layer <= from.layer;
  const d = back
    ? `M${sx},${sy} C${sx},${sy + 60} ${from.x + CARD.width + 40},${sy + 40} ${from.x + CARD.width + 30},${(sy + ty) / 2} S${tx + 40},${ty - 50} ${tx},${ty}`
    : `M${sx},${sy} C${sx},${sy + CARD.gapY / 2} ${tx},${ty - CARD.gapY / 2} ${tx},${ty}`;
  const lx = back ? from.x + CARD.width + 34 : (sx + tx) / 2;
  const ly = back ? (sy + ty) / 2 : (sy + ty) / 2;
  return svg`<g class="edge ${t.kind}" data-from=${from.id} data-to=${to.id} data-field=${t.field}>
    <path d=${d} marker-end="url(#arrow)"></path>
    ${t.label && t.label !== 'next' ? svg`<text x=${lx} y=${ly} text-anchor="middle">${t.label.length > 22 ? `${t.label.slice(0, 21)}…` : t.label}</text>` : nothing}
  </g>`;
}

/** A step's card: its type, name, text and options; red with the count of its problems. */
function card(id: string, step: Record<string, unknown>, at: Placed, model: CanvasModel, start: boolean): TemplateResult {
  const problems = model.problems.get(id) ?? [];
  const options = Array.isArray(step.options) ? (step.options as Array<{ label?: unknown }>).map((o) => String(o?.label ?? '')) : [];
  const text = plainText(step.text ?? (step.type === 'http' ? `${String(step.method ?? '')} ${String(step.url ?? '')}` : ''));
  // In a foreignObject: positions are SVG attributes, so nothing needs an inline style (the
  // dashboard's Content-Security-Policy refuses those).
  return svg`<foreignObject x=${at.x} y=${at.y} width=${CARD.width} height=${CARD.height}>${html`<button
    type="button"
    part="step"
    class="card ${model.selected === id ? 'selected' : ''} ${problems.length ? 'invalid' : ''} ${model.connecting ? 'target' : ''}"
    data-step=${id}
    aria-pressed=${model.selected === id ? 'true' : 'false'}
    aria-label="${String(step.type)} step ${id}${problems.length ? `, ${problems.length} problem${problems.length > 1 ? 's' : ''}` : ''}"
    @click=${() => model.onSelect(id)}
  >
    <span class="head"><span class="type">${String(step.type ?? '?')}</span><span class="id">${id}</span>${start ? html`<span class="start">start</span>` : nothing}</span>
    <span class="text">${text}</span>
    ${options.length ? html`<span class="options">${options.slice(0, 4).map((o) => html`<span>${o}</span>`)}${options.length > 4 ? html`<span>+${options.length - 4}</span>` : nothing}</span>` : nothing}
    ${problems.length ? html`<span class="problem" role="note" title=${problems.map((p) => p.message).join('\n')}>⚠ ${problems.length}</span>` : nothing}
  </button>`}</foreignObject>`;
}

/** The flow as a graph: cards laid out in layers from `start`, an arrow for every transition. */
export function renderCanvas(model: CanvasModel): TemplateResult {
  const { doc, view } = model;
  const placed = layeredLayout(doc.steps, doc.start);
  const width = Math.max(...[...placed.values()].map((p) => p.x + CARD.width), CARD.width) + 80;
  const height = Math.max(...[...placed.values()].map((p) => p.y + CARD.height), CARD.height) + 80;
  const edges: TemplateResult[] = [];
  for (const [id, step] of Object.entries(doc.steps)) {
    const from = placed.get(id);
    const out = arrows(step);
    out.forEach((t, i) => {
      const to = placed.get(t.to);
      if (from && to) edges.push(edge(from, to, t, i, out.length));
    });
  }
  return html`<svg class="graph" width="100%" height="100%" data-width=${width} data-height=${height}>
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker></defs>
    <g transform="translate(${view.x} ${view.y}) scale(${view.scale})">
      <g class="edges" aria-hidden="true">${edges}</g>
      ${[...placed.values()].map((at) => card(at.id, doc.steps[at.id]!, at, model, at.id === doc.start))}
    </g>
  </svg>`;
}
