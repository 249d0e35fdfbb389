import { Type, type Static } from 'typebox';
import { Strict } from './strict.js';
import { Limits } from './limits.js';

/**
 * Components are the building blocks of every bot, agent and visitor message.
 * Each is `{ type, payload }`, discriminated on `type`. A client ignores a `type` it does not know,
 * so new components can be added without breaking older widgets.
 */

const Text = (maxLength: number = Limits.maxComponentTextChars) => Type.String({ maxLength });

/** Text with light HTML (b, strong, i, em, u, br, p, ul, ol, li, a). Sanitized before it is stored or sent. */
export const TextComponent = Strict({
  type: Type.Literal('text'),
  payload: Strict({ text: Text() }),
});
export type TextComponent = Static<typeof TextComponent>;

/** One button of a `button_options` group: the label is shown, the value is sent back. */
export const ButtonOption = Strict({
  label: Type.String({ minLength: 1, maxLength: 200 }),
  value: Type.String({ minLength: 1, maxLength: 200 }),
});
export type ButtonOption = Static<typeof ButtonOption>;

/** A group of buttons; clicking one sends its value. */
export const ButtonOptionsComponent = Strict({
  type: Type.Literal('button_options'),
  payload: Strict({ options: Type.Array(ButtonOption, { minItems: 1, maxItems: 20 }) }),
});
export type ButtonOptionsComponent = Static<typeof ButtonOptionsComponent>;

/** A product as shown in a carousel. `index` (1-based) is what the visitor sends back to pick it. */
export const CarouselProduct = Strict({
  index: Type.Integer({ minimum: 1 }),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  quantity: Type.Integer({ minimum: 0 }),
  price: Type.Number({ minimum: 0 }),
  image: Type.Optional(Type.String({ maxLength: 2048 })),
  /** ISO 4217 code the price is in; without it the price shows as a plain number. */
  currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  description: Type.Optional(Type.String({ maxLength: 500 })),
});
export type CarouselProduct = Static<typeof CarouselProduct>;

/** A horizontally scrolling list of products to pick from. */
export const ProductCarouselComponent = Strict({
  type: Type.Literal('product_carousel'),
  payload: Strict({ products: Type.Array(CarouselProduct, { minItems: 1, maxItems: 50 }) }),
});
export type ProductCarouselComponent = Static<typeof ProductCarouselComponent>;

/** The product the visitor picked, with its computed total (`quantity * price`). */
export const SelectedProductCardComponent = Strict({
  type: Type.Literal('selected_product_card'),
  payload: Strict({
    product: Strict({
      name: Type.String({ minLength: 1, maxLength: 200 }),
      quantity: Type.Integer({ minimum: 0 }),
      price: Type.Number({ minimum: 0 }),
      total_price: Type.Number({ minimum: 0 }),
      currency: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
    }),
  }),
});
export type SelectedProductCardComponent = Static<typeof SelectedProductCardComponent>;

/** A problem with what the visitor sent, in plain text (never HTML). Shown distinctly, as an alert. */
export const ErrorComponent = Strict({
  type: Type.Literal('error'),
  payload: Strict({ text: Text(2000) }),
});
export type ErrorComponent = Static<typeof ErrorComponent>;

/** An image with its alternative text. */
export const ImageComponent = Strict({
  type: Type.Literal('image'),
  payload: Strict({ url: Type.String({ minLength: 1, maxLength: 2048 }), alt: Type.String({ maxLength: 500 }) }),
});
export type ImageComponent = Static<typeof ImageComponent>;

/** Asks the visitor for a file; `accept` is a MIME pattern list like `image/*`. */
export const FileRequestComponent = Strict({
  type: Type.Literal('file_request'),
  payload: Strict({
    prompt: Type.String({ maxLength: 2000 }),
    accept: Type.String({ maxLength: 200 }),
    max_bytes: Type.Integer({ minimum: 1 }),
  }),
});
export type FileRequestComponent = Static<typeof FileRequestComponent>;

/** The kinds of free-text input a bot can ask for; clients pick keyboard and autofill hints from it. */
export const InputKind = Type.Union([
  Type.Literal('text'),
  Type.Literal('email'),
  Type.Literal('phone'),
  Type.Literal('number'),
  Type.Literal('otp'),
]);
export type InputKind = Static<typeof InputKind>;

/** A hint for the composer: what the bot expects next. */
export const InputComponent = Strict({
  type: Type.Literal('input'),
  payload: Strict({ placeholder: Type.String({ maxLength: 200 }), kind: InputKind }),
});
export type InputComponent = Static<typeof InputComponent>;

/** The kinds of form field: the four free-text kinds of `input`, and a list to pick from. */
export const FormFieldKind = Type.Union([
  Type.Literal('text'),
  Type.Literal('email'),
  Type.Literal('phone'),
  Type.Literal('number'),
  Type.Literal('select'),
]);
export type FormFieldKind = Static<typeof FormFieldKind>;

/**
 * A form field's name: the variable its value is stored in (letters, digits, `_`; never
 * `__proto__`, `constructor` or `prototype`).
 */
export const FormFieldName = Type.String({ pattern: '^(?!(?:__proto__|constructor|prototype)$)[A-Za-z_][A-Za-z0-9_]{0,63}$' });

/** Submitted form values by field name, as typed (the server checks and converts them). */
export const FormValues = Type.Record(FormFieldName, Type.String({ maxLength: Limits.maxFormValueChars }), {
  additionalProperties: false,
  maxProperties: Limits.maxFormFields,
});
export type FormValues = Static<typeof FormValues>;

/** A form's id, as given in its component (the flow step's name). */
export const FormId = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' });

/** What a form field is in a flow step and in the component alike: its name, label, kind and options. */
export const FormFieldBase = {
  name: FormFieldName,
  label: Type.String({ minLength: 1, maxLength: 200 }),
  kind: FormFieldKind,
  required: Type.Optional(Type.Boolean()),
  placeholder: Type.Optional(Type.String({ maxLength: 200 })),
  options: Type.Optional(Type.Array(ButtonOption, { minItems: 1, maxItems: 50 })),
};

/**
 * One field of a `form` component. The rules (`required`, `pattern`, `min`/`max`,
 * `min_length`/`max_length`, `options` for a select) are hints for the client's own checks; the
 * server checks every submitted value again with the same rules. `value` keeps what the visitor
 * entered when the form comes back after a mistake; `error` says what was wrong with this field.
 */
export const FormField = Strict({
  ...FormFieldBase,
  pattern: Type.Optional(Type.String({ maxLength: 500 })),
  min: Type.Optional(Type.Number()),
  max: Type.Optional(Type.Number()),
  min_length: Type.Optional(Type.Integer({ minimum: 0 })),
  max_length: Type.Optional(Type.Integer({ minimum: 1 })),
  value: Type.Optional(Type.String({ maxLength: Limits.maxFormValueChars })),
  error: Type.Optional(Type.String({ maxLength: 500 })),
});
export type FormField = Static<typeof FormField>;

/**
 * A form: several fields answered at once (a lead form: name, email, phone ...). The visitor
 * sends the values with the `form` frame (or `form` in `POST /api/chatbot`), naming the form's `id`.
 */
export const FormComponent = Strict({
  type: Type.Literal('form'),
  payload: Strict({
    id: FormId,
    fields: Type.Array(FormField, { minItems: 1, maxItems: Limits.maxFormFields }),
    submit_label: Type.String({ minLength: 1, maxLength: 100 }),
  }),
});
export type FormComponent = Static<typeof FormComponent>;

/** How a rating is asked: five stars (1-5), or thumbs up / down (stored as 5 and 1). */
export const RatingScale = Type.Union([Type.Literal('five'), Type.Literal('thumbs')]);
export type RatingScale = Static<typeof RatingScale>;

/**
 * Asks the visitor to rate the conversation (CSAT), with an optional comment. The answer goes to
 * `POST /api/chatbot/rating`; a conversation keeps its first rating.
 */
export const RatingComponent = Strict({
  type: Type.Literal('rating'),
  payload: Strict({
    scale: RatingScale,
    prompt: Type.String({ maxLength: 500 }),
    /** Whether to offer a comment box. */
    comment: Type.Boolean(),
  }),
});
export type RatingComponent = Static<typeof RatingComponent>;
/**
 * A help article that answers the visitor: its title, the passage that matched as plain text
 * (never HTML), and its help-center page (`url`: a path on the Parley server, or an absolute
 * http(s) URL). With an empty excerpt it is a citation: a link under an AI answer.
 */
export const ArticleComponent = Strict({
  type: Type.Literal('article'),
  payload: Strict({
    title: Type.String({ minLength: 1, maxLength: 200 }),
    excerpt: Text(2000),
    url: Type.String({ minLength: 1, maxLength: 2048, pattern: '^(?:/(?![/\\\\])|https?://)' }),
  }),
});
export type ArticleComponent = Static<typeof ArticleComponent>;

/** Every component the server may send. */
export const Component = Type.Union([
  TextComponent,
  ButtonOptionsComponent,
  ProductCarouselComponent,
  SelectedProductCardComponent,
  ErrorComponent,
  ImageComponent,
  FileRequestComponent,
  InputComponent,
  FormComponent,
  RatingComponent,
  ArticleComponent,
]);
export type Component = Static<typeof Component>;

/** The `type` names of every known component. */
export type ComponentType = Component['type'];

/** A bot reply as the HTTP API returns it. */
export const BotReply = Strict({ components: Type.Array(Component) });
export type BotReply = Static<typeof BotReply>;
