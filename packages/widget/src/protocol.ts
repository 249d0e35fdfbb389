/**
 * What the widget uses of `@parley/protocol`: the light-HTML sanitizer, size caps and close codes at run time,
 * and the wire types. The npm build bundles the run-time part and writes the types out in full
 * (`dist/protocol.d.ts`), so a site that installs the widget installs no schema library.
 */
export { lightHtmlToText, sanitizeLightHtml } from '@parley/protocol/html';
export { AttributeLimits, CloseCode, Typing } from '@parley/protocol/constants';
export type {
  ButtonOption,
  CarouselProduct,
  ChatMessage,
  ChatbotMessagesResponse,
  ChatbotReply,
  ChatbotStartResponse,
  Component,
  ConversationStatus,
  FormComponent,
  FormField,
  IdentifyResponse,
  IdentityClaim,
  InputKind,
  PageAttributes,
  RatingComponent,
  SelectedProductCardComponent,
  UploadImageResponse,
  VisitorInput,
  VisitorServerFrame,
} from '@parley/protocol';
