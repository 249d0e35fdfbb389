import type { CatalogProduct, Component, Flow, FlowStep, FormValues, RatingScale, VisitorInput } from '@parley/protocol';
import { escapeHtml, Limits } from '@parley/protocol';
import { interpolateHtml, interpolateRaw, lookup, type FlowVars } from './interpolate.js';
export type { FlowVars } from './interpolate.js';
import { checkInput, errorText } from './validators.js';
import { checkForm, formComponent, formSummary, valuesSummary } from './forms.js';

/** Where a conversation stands in its flow. Stored as JSON with the conversation. */
export interface FlowState {
  /** The step waiting for the visitor's answer; null before start and after the end. */
  step: string | null;
  /** Wrong answers given to the current step. */
  attempts: number;
  vars: FlowVars;
  /** True once an `end` step ran: the next input starts the flow again. */
  done: boolean;
  /**
   * What the bot's funnel (insights) has counted of this conversation. The engine never reads it;
   * it rides with the state, so storing it costs no statement of its own, and a state that does
   * not carry it (a fresh start) keeps the conversation's (`ConversationUpdates`).
   */
  funnel?: FunnelMemory;
}

/** The flow steps a conversation reached (each counted once) and the step it stands at (last run). */
export interface FunnelMemory {
  steps: string[];
  last: string | null;
}

/** A side effect the chat service carries out in the same transaction as the reply. */
export type FlowEffect =
  | { type: 'lead'; data: Record<string, string | number | boolean>; source?: 'flow' | 'form' }
  | { type: 'handoff' };

/**
 * What the visitor sent, as the flow sees it: the visitor's input (`VisitorInput`, one shape from
 * the widget's outbox to here) except a request for a person, which the chat takes before the flow.
 */
export type FlowInput = Exclude<VisitorInput, { kind: 'handoff' }>;

/** The services a flow needs from its conversation. */
export interface FlowContext {
  /** The canonical URL of an image uploaded in this conversation, when `value` names one. */
  uploadUrl(value: string): string | undefined;
  /** A new ticket reference, such as `PAR-7KQ2M9XD`. */
  newTicket(): string;
  newId(): string;
  /** The company's rating scale, for `rating` steps (five stars when not given). */
  ratingScale?(): RatingScale;
}

/** The outcome of one turn. */
export interface FlowTurn {
  state: FlowState;
  /** The bot's reply. */
  components: Component[];
  /** How to show and store what the visitor sent (a clicked label, a masked code, an image). */
  userComponents?: Component[];
  terminal: boolean;
  effects: FlowEffect[];
  /** The input matched no option of a choice, product or upload step: an AI may answer it instead. */
  unrecognized?: boolean;
  /** An `input` step refused the answer and asks again (an AI may answer it if it was a question). */
  invalid?: boolean;
  /** The flow waits at an `ai` step: the model should answer the visitor, then `afterAiAnswer` runs. */
  ai?: { instructions?: string };
  /** The steps this turn ran, in order (the bot's funnel counts them). */
  path?: string[];
  /** The flow waits at a `search` step: answer the visitor from the articles, then `afterAiAnswer` runs. */
  search?: boolean;
  /**
   * The flow reached an `http` step (named here): the caller makes the request, then hands the
   * outcome to `afterHttp`, which runs on in this same turn. The engine itself does no I/O.
   */
  http?: { step: string };
}

/** How an `http` step's request went: the variables to set from its answer, or why it failed. */
export type HttpOutcome = { ok: true; vars: FlowVars } | { ok: false; error: string };

const MAX_STEPS_PER_TURN = 64;

const text = (html: string): Component => ({ type: 'text', payload: { text: html } });
const error = (message: string): Component => ({ type: 'error', payload: { text: message } });
/** What a visitor typed, as the text component their message shows. */
export const userText = (typed: string): Component => text(escapeHtml(typed));

/** How an input shows as the visitor's message when no step shows it its own way. */
export function shownInput(input: FlowInput): Component[] {
  if (input.kind === 'form') return valuesSummary(input.values);
  return [userText(input.kind === 'text' ? input.text : input.value)];
}

function placeholderFor(kind: string): string {
  switch (kind) {
    case 'email':
      return 'name@example.com';
    case 'phone':
      return '+1 555 123 4567';
    case 'number':
      return 'Enter a number';
    case 'otp':
      return 'Enter the code';
    default:
      return 'Type your answer';
  }
}

/** A product list an `http` step left in a variable, kept only where it is shaped like products. */
function productsFrom(value: unknown): CatalogProduct[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((p): p is CatalogProduct => typeof p === 'object' && p !== null && typeof p.name === 'string' && p.name !== '' && typeof p.price === 'number' && p.price >= 0)
    .slice(0, 50);
}

/** The products a `products` step offers: the catalog, its picked `items`, or a list from a variable. */
export function productsOf(flow: Flow, step: Extract<FlowStep, { type: 'products' }>, vars: FlowVars): CatalogProduct[] {
  if (step.from) return productsFrom(vars[step.from]);
  const catalog = flow.catalog ?? [];
  return step.items ? step.items.map((id) => catalog.find((p) => p.id === id)).filter((p): p is CatalogProduct => !!p) : catalog;
}

function catalogComponent(flow: Flow, products: CatalogProduct[]): Component {
  return {
    type: 'product_carousel',
    payload: {
      products: products.map((p, i) => {
        const currency = p.currency ?? flow.currency;
        return {
          index: i + 1,
          name: p.name.slice(0, 200),
          quantity: Math.max(0, Math.trunc(p.quantity ?? 1)),
          price: p.price,
          ...(p.image ? { image: p.image } : {}),
          ...(currency ? { currency } : {}),
          ...(p.description ? { description: p.description.slice(0, 500) } : {}),
        };
      }),
    },
  };
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The components that ask a waiting step's question (`id` is the step's name, a form's id). */
function prompt(flow: Flow, step: FlowStep, vars: FlowVars, id: string): Component[] {
  switch (step.type) {
    case 'form':
      return [...(step.text ? [text(interpolateHtml(step.text, vars))] : []), formComponent(id, step, vars)];
    case 'choice':
      return [
        text(interpolateHtml(step.text, vars)),
        { type: 'button_options', payload: { options: step.options.map(({ label, value }) => ({ label, value })) } },
      ];
    case 'input':
      return [
        text(interpolateHtml(step.text, vars)),
        { type: 'input', payload: { placeholder: step.placeholder ? interpolateRaw(step.placeholder, vars) : placeholderFor(step.kind), kind: step.kind } },
      ];
    case 'products': {
      const products = productsOf(flow, step, vars);
      // An empty list (an http step found nothing) shows the text alone; any answer then moves on.
      return [text(interpolateHtml(step.text, vars)), ...(products.length ? [catalogComponent(flow, products)] : [])];
    }
    case 'upload': {
      const maxBytes = step.max_bytes ?? Limits.maxUploadBytes;
      return [
        text(interpolateHtml(step.text, vars)),
        {
          type: 'file_request',
          payload: { prompt: `PNG, JPEG, GIF or WebP, up to ${formatBytes(maxBytes)}`, accept: step.accept ?? 'image/*', max_bytes: maxBytes },
        },
      ];
    }
    default:
      return [];
  }
}

function holds(condition: Extract<FlowStep, { type: 'branch' }>['cases'][number]['when'], vars: FlowVars): boolean {
  const value = lookup(vars, condition.var);
  if (condition.exists !== undefined && (value !== undefined && value !== null && value !== '') !== condition.exists) return false;
  if (condition.equals !== undefined && String(value) !== String(condition.equals)) return false;
  if (condition.not_equals !== undefined && String(value) === String(condition.not_equals)) return false;
  if (condition.in !== undefined && !condition.in.map(String).includes(String(value))) return false;
  if (condition.gt !== undefined && !(Number(value) > condition.gt)) return false;
  if (condition.lt !== undefined && !(Number(value) < condition.lt)) return false;
  return true;
}

function roundCents(value: number): number {
  return Math.round(value * 100) / 100;
}

function leadValue(value: unknown): string | number | boolean {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value && typeof value === 'object' && 'name' in value) return String((value as { name: unknown }).name);
  return value === undefined || value === null ? '' : JSON.stringify(value);
}

/**
 * Runs steps from `from` until one waits for the visitor or the flow ends, appending the reply to
 * `turn`. Throws when a flow loops without waiting (flows are checked for that when loaded).
 */
function runFrom(flow: Flow, from: string | null, turn: FlowTurn, ctx: FlowContext): FlowTurn {
  const state = turn.state;
  let id: string | null = from;
  for (let count = 0; count < MAX_STEPS_PER_TURN; count++) {
    const step: FlowStep | undefined = id === null ? undefined : flow.steps[id];
    if (!step) {
      // A flow that runs out of steps ends, as if it had an `end` step.
      return waitAt(turn, null, true, true);
    }
    const vars = state.vars;
    (turn.path ??= []).push(id!);
    switch (step.type) {
      case 'rating':
        turn.components.push({
          type: 'rating',
          payload: { scale: ctx.ratingScale?.() ?? 'five', prompt: step.text ?? 'How did we do?', comment: step.comment ?? true },
        });
        id = step.next;
        break;
      case 'say':
        turn.components.push(text(interpolateHtml(step.text, vars)));
        id = step.next;
        break;
      case 'set':
        vars[step.var] =
          step.generate === 'ticket' ? ctx.newTicket() : step.generate === 'uuid' ? ctx.newId() : interpolateRaw(step.value ?? '', vars);
        id = step.next;
        break;
      case 'branch':
        id = step.cases.find((c) => holds(c.when, vars))?.next ?? step.else;
        break;
      case 'lead':
        turn.effects.push({ type: 'lead', data: Object.fromEntries(step.fields.map((f) => [f, leadValue(vars[f])])) });
        if (step.text) turn.components.push(text(interpolateHtml(step.text, vars)));
        id = step.next;
        break;
      case 'product_card': {
        const product = vars[step.var] as CatalogProduct | undefined;
        if (step.text) turn.components.push(text(interpolateHtml(step.text, vars)));
        if (product) {
          const { name, quantity, price } = product;
          const currency = product.currency ?? flow.currency;
          turn.components.push({
            type: 'selected_product_card',
            payload: { product: { name, quantity, price, total_price: roundCents(quantity * price), ...(currency ? { currency } : {}) } },
          });
        }
        id = step.next;
        break;
      }
      case 'handoff':
        if (step.text) turn.components.push(text(interpolateHtml(step.text, vars)));
        turn.effects.push({ type: 'handoff' });
        // The bot falls silent; when the conversation comes back to it, it resumes at `next`.
        return waitAt(turn, step.next ?? null, step.next === undefined);
      case 'end':
        if (step.text) turn.components.push(text(interpolateHtml(step.text, vars)));
        return waitAt(turn, null, true, true);
      case 'http':
        // The caller makes the request and continues with `afterHttp`.
        turn.http = { step: id! };
        return waitAt(turn, id, false);
      case 'ai':
        // Waits for the visitor's question; `attempts` counts the model's answers at this step.
        if (step.text) turn.components.push(text(interpolateHtml(step.text, vars)));
        return waitAt(turn, id, false);
      case 'search':
        turn.components.push(text(step.text === undefined ? 'What is your question?' : interpolateHtml(step.text, vars)));
        return waitAt(turn, id, false);
      default:
        turn.components.push(...prompt(flow, step, vars, id!));
        return waitAt(turn, id, false);
    }
  }
  throw new Error(`Flow ${flow.id} ran ${MAX_STEPS_PER_TURN} steps without waiting for the visitor`);
}

/**
 * Ends a turn waiting at `step` (null: nowhere). Changes the turn in place: every turn `runFrom`
 * gets is its own copy (`emptyTurn`), and a chat turn makes several of these.
 */
function waitAt(turn: FlowTurn, step: string | null, done: boolean, terminal = false): FlowTurn {
  turn.state.step = step;
  turn.state.attempts = 0;
  turn.state.done = done;
  if (terminal) turn.terminal = true;
  return turn;
}

/** Sets how the visitor's input is shown, in place (see `waitAt`). */
function shownAs(turn: FlowTurn, userComponents: Component[]): FlowTurn {
  turn.userComponents = userComponents;
  return turn;
}

function emptyTurn(state: FlowState): FlowTurn {
  return { state: { ...state, vars: { ...state.vars } }, components: [], terminal: false, effects: [] };
}

/** A fresh state, before the first step. */
export function initialState(): FlowState {
  return { step: null, attempts: 0, vars: {}, done: false };
}

/** Starts the flow: runs from its `start` step until the first question. */
export function startFlow(flow: Flow, ctx: FlowContext): FlowTurn {
  return runFrom(flow, flow.start, emptyTurn(initialState()), ctx);
}

/**
 * Resumes where a conversation left its flow (after a hand-off comes back to the bot): asks the
 * waiting step's question again, or starts over when the flow had ended.
 */
export function resumeFlow(flow: Flow, state: FlowState, ctx: FlowContext): FlowTurn {
  if (state.done || state.step === null) return startFlow(flow, ctx);
  return runFrom(flow, state.step, emptyTurn(state), ctx);
}

function matchChoice(step: Extract<FlowStep, { type: 'choice' }>, raw: string) {
  const answer = raw.trim().toLowerCase();
  return step.options.find((o) => o.value.toLowerCase() === answer || o.label.toLowerCase() === answer);
}

function matchProduct(catalog: CatalogProduct[], raw: string): { product: CatalogProduct; index: number } | undefined {
  const answer = raw.trim().toLowerCase();
  const byIndex = /^\d{1,3}$/.test(answer) ? Number(answer) : NaN;
  const index = byIndex >= 1 && byIndex <= catalog.length ? byIndex : catalog.findIndex((p) => p.name.toLowerCase() === answer) + 1;
  const product = catalog[index - 1];
  return product && index >= 1 ? { product, index } : undefined;
}

/**
 * Takes the visitor's input to the waiting step: stores the answer and runs on, or explains what
 * was wrong and asks again. After an ended flow, any input starts it again.
 */
export function advanceFlow(flow: Flow, state: FlowState, input: FlowInput, ctx: FlowContext): FlowTurn {
  const raw = input.kind === 'text' ? input.text : input.kind === 'action' ? input.value : '';
  const step = state.step === null ? undefined : flow.steps[state.step];
  if (state.done || !step) return shownAs(startFlow(flow, ctx), shownInput(input));
  const turn = emptyTurn(state);
  const vars = turn.state.vars;
  const retry = (message: string, unrecognized = false): FlowTurn => ({
    ...turn,
    components: [error(message), ...prompt(flow, step, vars, state.step!)],
    userComponents: shownInput(input),
    ...(unrecognized ? { unrecognized } : {}),
  });
  if (input.kind === 'form' && (step.type !== 'form' || input.form !== state.step)) {
    // A form answered after the conversation moved on (an old form, another tab).
    return retry('This form is no longer active.');
  }

  switch (step.type) {
    case 'choice': {
      const option = matchChoice(step, raw);
      if (!option) return retry(step.error ?? 'Please choose one of the options below.', true);
      if (step.var) vars[step.var] = option.value;
      return shownAs(runFrom(flow, option.next ?? step.next ?? null, turn, ctx), [userText(option.label)]);
    }
    case 'products': {
      const products = productsOf(flow, step, vars);
      if (!products.length) return shownAs(runFrom(flow, step.next, turn, ctx), shownInput(input));
      const match = matchProduct(products, raw);
      if (!match) return retry(step.error ?? 'Please pick one of the products below.', true);
      vars[step.var] = { ...match.product, index: match.index };
      return shownAs(runFrom(flow, step.next, turn, ctx), [userText(match.product.name)]);
    }
    case 'upload': {
      const url = ctx.uploadUrl(raw.trim());
      if (!url) return retry(step.error ?? 'Please upload an image with the button below.', true);
      vars[step.var] = url;
      return {
        ...runFrom(flow, step.next, turn, ctx),
        userComponents: [{ type: 'image', payload: { url, alt: 'Uploaded image' } }],
      };
    }
    case 'input': {
      const shown = step.kind === 'otp' ? [userText('•'.repeat(Math.min(raw.trim().length, 8)))] : [userText(raw)];
      const result = checkInput(step.kind, raw, step.validate, vars, step.error);
      if (result.ok) {
        vars[step.var] = result.value;
        return shownAs(runFrom(flow, step.next, turn, ctx), shown);
      }
      const attempts = state.attempts + 1;
      const message = errorText(result.error, step.max_attempts === undefined ? undefined : Math.max(step.max_attempts - attempts, 0));
      if (step.max_attempts !== undefined && attempts >= step.max_attempts) {
        turn.components.push(error(message));
        return shownAs(runFrom(flow, step.on_fail ?? null, turn, ctx), shown);
      }
      return { ...retry(message), state: { ...turn.state, attempts }, userComponents: shown, invalid: true };
    }
    case 'form': {
      let submitted: FormValues;
      if (input.kind === 'form') submitted = input.values;
      else if (step.fields.length === 1) submitted = { [step.fields[0]!.name]: raw };
      else return retry('Please fill in the form above.', true);
      const shown = input.kind === 'form' ? formSummary(step.fields, submitted) : [userText(raw)];
      const { values, errors } = checkForm(step.fields, submitted, vars);
      if (errors.size) {
        const labels = new Map(step.fields.map((f) => [f.name, f.label]));
        const kept = Object.fromEntries(Object.entries(submitted).filter(([name]) => labels.has(name) && !errors.has(name)));
        return {
          ...turn,
          state: { ...turn.state, attempts: state.attempts + 1 },
          components: [
            ...[...errors].map(([name, message]) => error(`${labels.get(name)}: ${message}`)),
            formComponent(state.step!, step, vars, kept, errors),
          ],
          userComponents: shown,
          invalid: true,
        };
      }
      Object.assign(vars, values);
      if (step.lead) turn.effects.push({ type: 'lead', source: 'form', data: { ...values } });
      return shownAs(runFrom(flow, step.next, turn, ctx), shown);
    }
    case 'http':
      // A turn was stored waiting at an http step (a resumption): make the request now.
      return shownAs(runFrom(flow, state.step, turn, ctx), shownInput(input));
    case 'ai':
      return {
        ...turn,
        userComponents: [userText(raw)],
        ai: step.instructions ? { instructions: interpolateRaw(step.instructions, vars) } : {},
      };
    case 'search':
      return { ...turn, userComponents: [userText(raw)], search: true };
    default:
      // Only waiting steps are ever stored as the current step; anything else restarts cleanly.
      return { ...startFlow(flow, ctx), userComponents: [userText(raw)] };
  }
}

/**
 * Records the model's answer at an `ai` step (in its `var`, when it has one) and, once the step
 * has answered `turns` questions, runs on to its `next`. `answer` is undefined when the model
 * failed: the flow then moves on at once. At a `search` step (one question) it runs on to `next`.
 */
export function afterAiAnswer(flow: Flow, state: FlowState, answer: string | undefined, ctx: FlowContext): FlowTurn {
  const step = state.step === null ? undefined : flow.steps[state.step];
  const turn = emptyTurn(state);
  if (step?.type === 'search') return runFrom(flow, step.next, turn, ctx);
  if (!step || step.type !== 'ai') return turn;
  if (step.var && answer !== undefined) turn.state.vars[step.var] = answer;
  const answered = state.attempts + 1;
  if (answer !== undefined && answered < (step.turns ?? 1)) return { ...turn, state: { ...turn.state, attempts: answered } };
  return runFrom(flow, step.next, turn, ctx);
}

/**
 * Runs on after the request of the `http` step `turn.http` names: its variables are set and the
 * flow goes to `next`, or on failure to `on_error` (the flow ends quietly without one). Adds to
 * `turn` in place, so what the turn said before the request stays first.
 */
export function afterHttp(flow: Flow, turn: FlowTurn, outcome: HttpOutcome, ctx: FlowContext): FlowTurn {
  const id = turn.http?.step;
  const step = id === undefined ? undefined : flow.steps[id];
  delete turn.http;
  if (!step || step.type !== 'http') return turn;
  if (outcome.ok) {
    Object.assign(turn.state.vars, outcome.vars);
    return runFrom(flow, step.next, turn, ctx);
  }
  turn.state.vars.http_error = outcome.error;
  return runFrom(flow, step.on_error ?? null, turn, ctx);
}

/** The question the flow is waiting on, asked again (after an AI answered something else). */
export function currentPrompt(flow: Flow, state: FlowState): Component[] {
  const step = state.step === null || state.done ? undefined : flow.steps[state.step];
  return step ? prompt(flow, step, state.vars, state.step!) : [];
}
