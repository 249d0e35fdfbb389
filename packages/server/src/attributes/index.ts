/** Page attributes of conversations (`Parley.setAttributes`): stored per conversation, shown to agents, used by flows. */
export { default as attributesPlugin } from './attributes.plugin.js';
export { AttributesService, withAttributes } from './attributes.service.js';
export { AttributesStore } from './attributes.store.js';
