/** LLM replies: the provider call, the prompt, per-company settings and the model's Markdown made safe. */
export { default as ai, AiService, type AiAnswer, type AiQuestion } from './ai.plugin.js';
export { default as aiRoutes } from './ai.routes.js';
export { aiFallback, looksLikeQuestion, type AiFallbackReason } from './fallback.js';
export { citedSources, flowContext } from './prompt.js';
export { markdownToLightHtml } from './markdown.js';
export { defaultAiSettings, type AiSettings } from './settings.js';
