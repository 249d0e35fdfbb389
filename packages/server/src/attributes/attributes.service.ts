import { AttributeLimits, type PageAttributes, type StoredAttributes } from '@parley/protocol';
import { Errors } from '../errors.js';
import type { LiveConversation } from '../conversations/conversation-model.js';
import type { AttributesStore } from './attributes.store.js';

/**
 * Page attributes of a conversation (`Parley.setAttributes({ plan: 'pro', cart_total: 42 })`):
 * what the host page knows of the visitor's context. The frame's schema checks each key and value;
 * this checks the caps on the merged whole, keeps the live copy and stores it.
 *
 * Flows read them as `{{attributes.plan}}` and the AI sees them with the flow's variables
 * (`withAttributes`); agents see them in the conversation's details.
 */
export class AttributesService {
  constructor(private readonly store: AttributesStore) {}

  /**
   * Merges `patch` into the conversation's attributes (`null` removes a key) and stores them.
   * 400 `validation_failed` when the result would exceed `AttributeLimits`; nothing changes then.
   */
  async merge(conversation: LiveConversation, patch: PageAttributes): Promise<StoredAttributes> {
    const merged: StoredAttributes = { ...conversation.attributes };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete merged[key];
      else if (typeof value === 'number' && !Number.isFinite(value)) throw Errors.validation(`Attribute ${key} is not a finite number`);
      else merged[key] = value;
    }
    if (Object.keys(merged).length > AttributeLimits.maxKeys) throw Errors.validation(`At most ${AttributeLimits.maxKeys} attributes`);
    if (Buffer.byteLength(JSON.stringify(merged)) > AttributeLimits.maxBytes) throw Errors.validation(`Attributes exceed ${AttributeLimits.maxBytes} bytes`);
    // The live copy first, so a turn that runs while the write is queued already sees them.
    conversation.attributes = merged;
    if (!(await this.store.save(conversation.companyId, conversation.id, merged))) throw Errors.notFound('The conversation no longer exists');
    return merged;
  }
}

/** The flow's variables with the page attributes under `attributes`, for templates and the AI. */
export function withAttributes(vars: Record<string, unknown>, conversation: LiveConversation): Record<string, unknown> {
  return conversation.attributes && Object.keys(conversation.attributes).length ? { ...vars, attributes: conversation.attributes } : vars;
}
