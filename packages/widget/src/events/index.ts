export { ParleyActionEvent } from './parley-action.js';
export { ParleyFormEvent } from './parley-form.js';
export { ParleyUploadEvent } from './parley-upload.js';
export { ParleySendEvent } from './parley-send.js';
export { ParleyTypingEvent } from './parley-typing.js';
export { ParleyRetryEvent } from './parley-retry.js';
export { ParleyChatEvent, type ParleyChatEventMap } from './parley-chat-event.js';
export { ParleyRateEvent } from './parley-rate.js';
