/**
 * JSX typings for the widget's elements: `import type {} from '@parley/widget/jsx'` (or add it to
 * `types` in tsconfig) and `<parley-chat server="..." theme="auto" />` type-checks in any JSX that
 * reads the global `JSX` namespace. React 19 users get the same from `@parley/widget/react`.
 */
import type { LitElement } from 'lit';
import type { ParleyButtonOptions } from './components/button-options/button-options.component.js';
import type { ParleyChat } from './components/chat/chat.component.js';
import type { ParleyComposer } from './components/composer/composer.component.js';
import type { ParleyError } from './components/error/error.component.js';
import type { ParleyFileRequest } from './components/file-request/file-request.component.js';
import type { ParleyForm } from './components/form/form.component.js';
import type { ParleyImage } from './components/image/image.component.js';
import type { ParleyMessage } from './components/message/message.component.js';
import type { ParleyProductCarousel } from './components/product-carousel/product-carousel.component.js';
import type { ParleySelectedProductCard } from './components/selected-product-card/selected-product-card.component.js';
import type { ParleyText } from './components/text/text.component.js';
import type { ParleyThread } from './components/thread/thread.component.js';
import type { ParleyTyping } from './components/typing/typing.component.js';

/** The public properties an element adds to LitElement (no methods), each optional. */
export type ElementProperties<E> = {
  [K in keyof E as K extends keyof LitElement ? never : E[K] extends (...args: never[]) => unknown ? never : K]?: E[K];
};

/** What JSX may put on any of the elements besides their own properties. */
export interface CommonJsxProps {
  id?: string;
  class?: string;
  className?: string;
  slot?: string;
  style?: unknown;
  hidden?: boolean;
  dir?: string;
  lang?: string;
  key?: string | number;
  ref?: unknown;
  children?: unknown;
  /** React 19 and Preact add `onparley-open`, `onparley-message`, ... as event listeners. */
  [event: `onparley-${string}`]: ((event: CustomEvent) => void) | undefined;
}

/** JSX props of one element. */
export type JsxProps<E> = ElementProperties<E> & CommonJsxProps;

/** Every element of the widget, by tag, with its JSX props. */
export interface ParleyIntrinsicElements {
  'parley-chat': JsxProps<ParleyChat>;
  'parley-thread': JsxProps<ParleyThread>;
  'parley-message': JsxProps<ParleyMessage>;
  'parley-composer': JsxProps<ParleyComposer>;
  'parley-text': JsxProps<ParleyText>;
  'parley-error': JsxProps<ParleyError>;
  'parley-image': JsxProps<ParleyImage>;
  'parley-button-options': JsxProps<ParleyButtonOptions>;
  'parley-form': JsxProps<ParleyForm>;
  'parley-product-carousel': JsxProps<ParleyProductCarousel>;
  'parley-selected-product-card': JsxProps<ParleySelectedProductCard>;
  'parley-file-request': JsxProps<ParleyFileRequest>;
  'parley-typing': JsxProps<ParleyTyping>;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements extends ParleyIntrinsicElements {}
  }
}
