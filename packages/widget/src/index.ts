/**
 * `import '@parley/widget'` registers every element (`<parley-chat>` and one per component type)
 * and exports their classes, the events and the headless client.
 */
import './components/text/text.js';
import './components/error/error.js';
import './components/image/image.js';
import './components/button-options/button-options.js';
import './components/form/form.js';
import './components/product-carousel/product-carousel.js';
import './components/selected-product-card/selected-product-card.js';
import './components/file-request/file-request.js';
import './components/typing/typing.js';
import './components/message/message.js';
import './components/thread/thread.js';
import './components/composer/composer.js';
import './components/chat/chat.js';

export { ParleyText } from './components/text/text.component.js';
export { ParleyError } from './components/error/error.component.js';
export { ParleyImage } from './components/image/image.component.js';
export { ParleyButtonOptions } from './components/button-options/button-options.component.js';
export { ParleyForm } from './components/form/form.component.js';
export { ParleyProductCarousel } from './components/product-carousel/product-carousel.component.js';
export { ParleySelectedProductCard } from './components/selected-product-card/selected-product-card.component.js';
export { ParleyFileRequest } from './components/file-request/file-request.component.js';
export { ParleyTyping } from './components/typing/typing.component.js';
export { ParleyMessage } from './components/message/message.component.js';
export { ParleyThread } from './components/thread/thread.component.js';
export { ParleyComposer } from './components/composer/composer.component.js';
export { ParleyChat } from './components/chat/chat.component.js';
export type { ParleyArticle } from './components/article/article.component.js';
export type { ParleyRating } from './components/rating/rating.component.js';
export { ChatController } from './controllers/chat-controller.js';
export * from './events/index.js';
export { defaultStrings, directionOf, type ParleyStrings } from './i18n.js';
export * from './client/index.js';
