import { Type, type Static } from 'typebox';
import { Strict } from './strict.js';
import { FormFieldBase, InputKind } from './components.js';

/*
 * The declarative flow format: a JSON document of named steps. The server validates a flow with
 * these schemas and then checks its references (every `next` names a step). docs/flows.md
 * explains each step with examples.
 */

/** A step's name: letters, digits, `_`, `-`, `.`. */
export const StepId = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' });
/** A variable's name. `{{name}}` or `{{name.field}}` in a text interpolates it, HTML-escaped. */
export const VarName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]{0,63}$' });
/** Light HTML with `{{variable}}` placeholders. */
export const FlowText = Type.String({ minLength: 1, maxLength: 4000 });
/** A number, or a `{{variable}}` that holds one (for limits that depend on earlier answers). */
export const NumberOrVariable = Type.Union([
  Type.Number(),
  Type.String({ pattern: '^\\{\\{\\s*[A-Za-z_][A-Za-z0-9_.]*\\s*\\}\\}$' }),
]);

/** Shows a text and moves on. */
export const SayStep = Strict({ type: Type.Literal('say'), text: FlowText, next: StepId });

/** One button of a `choice` step. Without its own `next` the step's `next` is taken. */
export const ChoiceOption = Strict({
  label: Type.String({ minLength: 1, maxLength: 200 }),
  value: Type.String({ minLength: 1, maxLength: 200 }),
  next: Type.Optional(StepId),
});

/** Asks a question with buttons. The visitor may click or type a label or value (case-insensitive). */
export const ChoiceStep = Strict({
  type: Type.Literal('choice'),
  text: FlowText,
  var: Type.Optional(VarName),
  options: Type.Array(ChoiceOption, { minItems: 1, maxItems: 20 }),
  next: Type.Optional(StepId),
  error: Type.Optional(Type.String({ maxLength: 500 })),
});

/** Extra checks on an `input` answer, on top of those its `kind` implies. */
export const InputRules = Strict({
  pattern: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  min: Type.Optional(NumberOrVariable),
  max: Type.Optional(NumberOrVariable),
  min_length: Type.Optional(Type.Integer({ minimum: 0 })),
  max_length: Type.Optional(Type.Integer({ minimum: 1 })),
  equals: Type.Optional(Type.String({ maxLength: 200 })),
});
export type InputRules = Static<typeof InputRules>;

/**
 * Asks for free text and stores it in `var`. A wrong answer gets an `error` component and the
 * prompt again; after `max_attempts` wrong answers the flow goes to `on_fail`.
 */
export const InputStep = Strict({
  type: Type.Literal('input'),
  text: FlowText,
  var: VarName,
  kind: InputKind,
  placeholder: Type.Optional(Type.String({ maxLength: 200 })),
  validate: Type.Optional(InputRules),
  /** Replaces every default message; `{{attempts_left}}` says how many answers are left before `on_fail`. */
  error: Type.Optional(Type.String({ maxLength: 500 })),
  max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  on_fail: Type.Optional(StepId),
  next: StepId,
});

/**
 * Shows products as a carousel; the chosen product is stored in `var`. The products are the
 * flow's catalog, only the catalog products named in `items` (by their `id`), or the product list
 * an earlier `http` step put in the variable `from`.
 */
export const ProductsStep = Strict({
  type: Type.Literal('products'),
  text: FlowText,
  var: VarName,
  next: StepId,
  error: Type.Optional(Type.String({ maxLength: 500 })),
  items: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50 })),
  from: Type.Optional(VarName),
});

/** Shows the product held in `var` as a card with its total (quantity x price). */
export const ProductCardStep = Strict({
  type: Type.Literal('product_card'),
  text: Type.Optional(FlowText),
  var: VarName,
  next: StepId,
});

/** Asks for an image upload; the stored image's URL goes in `var`. */
export const UploadStep = Strict({
  type: Type.Literal('upload'),
  text: FlowText,
  var: VarName,
  accept: Type.Optional(Type.String({ maxLength: 200 })),
  max_bytes: Type.Optional(Type.Integer({ minimum: 1 })),
  error: Type.Optional(Type.String({ maxLength: 500 })),
  next: StepId,
});

/** Sets `var` to an interpolated `value`, or to a generated ticket reference or id. */
export const SetStep = Strict({
  type: Type.Literal('set'),
  var: VarName,
  value: Type.Optional(Type.String({ maxLength: 4000 })),
  generate: Type.Optional(Type.Union([Type.Literal('ticket'), Type.Literal('uuid')])),
  next: StepId,
});

/** A test on a variable (a dotted path such as `product.quantity` reaches into objects). */
export const Condition = Strict({
  var: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.]{0,127}$' }),
  equals: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  not_equals: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  in: Type.Optional(Type.Array(Type.Union([Type.String(), Type.Number()]), { maxItems: 100 })),
  exists: Type.Optional(Type.Boolean()),
  gt: Type.Optional(Type.Number()),
  lt: Type.Optional(Type.Number()),
});
export type Condition = Static<typeof Condition>;

/** Goes to the `next` of the first case whose condition holds, else to `else`. */
export const BranchStep = Strict({
  type: Type.Literal('branch'),
  cases: Type.Array(Strict({ when: Condition, next: StepId }), { minItems: 1, maxItems: 50 }),
  else: StepId,
});

/**
 * One field of a `form` step: its value is stored in the variable `name`. `kind` checks it like an
 * `input` step of that kind would (`select` must be one of `options`); `validate` adds rules.
 */
export const FormStepField = Strict({
  ...FormFieldBase,
  validate: Type.Optional(InputRules),
  error: Type.Optional(Type.String({ maxLength: 500 })),
});
export type FormStepField = Static<typeof FormStepField>;

/**
 * Shows a form (several fields answered at once) and waits for it. Every value is checked on the
 * server; a wrong one gets an `error` component naming its field and the form again, with the
 * valid values kept. The values go into variables named after the fields; with `lead: true` they
 * are also stored as a lead (source `form`), in the same write as the reply.
 */
export const FormStep = Strict({
  type: Type.Literal('form'),
  text: Type.Optional(FlowText),
  fields: Type.Array(FormStepField, { minItems: 1, maxItems: 50 }),
  submit_label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  lead: Type.Optional(Type.Boolean()),
  next: StepId,
});

/** Stores a lead made of the named variables, linked to the conversation. */
export const LeadStep = Strict({
  type: Type.Literal('lead'),
  fields: Type.Array(VarName, { minItems: 1, maxItems: 50 }),
  text: Type.Optional(FlowText),
  next: StepId,
});

/** Hands the conversation to a person. The bot stays silent until an agent resolves it. */
export const HandoffStep = Strict({
  type: Type.Literal('handoff'),
  text: Type.Optional(FlowText),
  next: Type.Optional(StepId),
});

/**
 * Hands visitor questions to the AI model, with the flow's variables as context: the step shows
 * `text` (if any), waits for a question, lets the model answer (`instructions` join its system
 * prompt; `{{variables}}` are filled in), and after `turns` answers moves on to `next`. With AI
 * off or failing, the visitor gets a fallback and the offer of a person, then the flow moves on.
 */
export const AiStep = Strict({
  type: Type.Literal('ai'),
  text: Type.Optional(FlowText),
  instructions: Type.Optional(Type.String({ maxLength: 4000 })),
  var: Type.Optional(VarName),
  turns: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  next: StepId,
});

/**
 * Answers a question from the company's articles: shows `text` (for example "What is your
 * question?"), waits for the question, answers it with the best matching article (or, with AI on,
 * a model answer grounded in the articles), then moves on to `next`. With no confident match the
 * visitor is told so and offered a person, then the flow moves on.
 */
export const SearchStep = Strict({
  type: Type.Literal('search'),
  text: Type.Optional(FlowText),
  next: StepId,
});

/** Ends the conversation (terminal). The next visitor message starts the flow again. */
export const EndStep = Strict({ type: Type.Literal('end'), text: Type.Optional(FlowText) });

/**
 * Asks the visitor to rate the conversation (the `rating` component, on the company's CSAT scale)
 * and moves on at once: the visitor may answer any time, and a conversation keeps its first rating.
 */
export const RatingStep = Strict({
  type: Type.Literal('rating'),
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  comment: Type.Optional(Type.Boolean()),
  next: StepId,
});
/** An ISO 4217 currency code, such as `EUR`. */
export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$' });

/** How an `http` step turns a list in its JSON answer into products for a `products` step. */
export const HttpProductMap = Strict({
  /** Dotted path of the list in the answer (`items`, `order.lines`); empty for the answer itself. */
  list: Type.String({ maxLength: 200 }),
  /** Fields of each list item (dotted paths) that hold the product's name, price, and so on. */
  name: Type.String({ minLength: 1, maxLength: 200 }),
  price: Type.String({ minLength: 1, maxLength: 200 }),
  quantity: Type.Optional(Type.String({ maxLength: 200 })),
  image: Type.Optional(Type.String({ maxLength: 200 })),
  description: Type.Optional(Type.String({ maxLength: 200 })),
  /** The variable that receives the products (read by a `products` step's `from`). */
  var: VarName,
});
export type HttpProductMap = Static<typeof HttpProductMap>;

/**
 * Calls an HTTP endpoint and maps fields of its JSON answer into variables (`map`: variable ->
 * dotted path) or into a product list (`products`). `{{variables}}` are filled in the URL (URL-
 * encoded), header values and `body` (JSON-escaped). Header values listed in `secret_headers` are
 * stored sealed and never shown again. A network error, a timeout, a non-2xx answer or an answer
 * that is not JSON goes to `on_error` (or ends the flow quietly when there is none).
 */
export const HttpStep = Strict({
  type: Type.Literal('http'),
  method: Type.Union([Type.Literal('GET'), Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('PATCH'), Type.Literal('DELETE')]),
  url: Type.String({ minLength: 1, maxLength: 2048 }),
  headers: Type.Optional(Type.Record(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }), Type.String({ maxLength: 4000 }), { maxProperties: 20 })),
  secret_headers: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' }), { maxItems: 20 })),
  body: Type.Optional(Type.String({ maxLength: 8000 })),
  timeout_ms: Type.Optional(Type.Integer({ minimum: 100, maximum: 15000 })),
  map: Type.Optional(Type.Record(VarName, Type.String({ maxLength: 200 }), { maxProperties: 50 })),
  products: Type.Optional(HttpProductMap),
  next: StepId,
  on_error: Type.Optional(StepId),
});
export type HttpStep = Static<typeof HttpStep>;

/** Every step type. */
export const FlowStep = Type.Union([
  SayStep,
  ChoiceStep,
  InputStep,
  ProductsStep,
  ProductCardStep,
  UploadStep,
  SetStep,
  BranchStep,
  LeadStep,
  FormStep,
  HandoffStep,
  AiStep,
  EndStep,
  RatingStep,
  SearchStep,
  HttpStep,
]);
export type FlowStep = Static<typeof FlowStep>;
export type FlowStepType = FlowStep['type'];

/** One product of a flow's catalog. */
export const CatalogProduct = Strict({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  quantity: Type.Integer({ minimum: 0 }),
  price: Type.Number({ minimum: 0 }),
  image: Type.Optional(Type.String({ maxLength: 2048 })),
  /** A stable name a `products` step's `items` can pick it by. */
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /** Overrides the flow's `currency` for this product. */
  currency: Type.Optional(CurrencyCode),
  description: Type.Optional(Type.String({ maxLength: 500 })),
});
export type CatalogProduct = Static<typeof CatalogProduct>;

/** A whole flow document. */
export const Flow = Strict({
  $schema: Type.Optional(Type.String()),
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  version: Type.Literal(1),
  start: StepId,
  catalog: Type.Optional(Type.Array(CatalogProduct, { maxItems: 50 })),
  /** The currency of the catalog's prices (ISO 4217); the widget formats prices with it. */
  currency: Type.Optional(CurrencyCode),
  steps: Type.Record(StepId, FlowStep, { additionalProperties: false, minProperties: 1 }),
});
export type Flow = Static<typeof Flow>;
