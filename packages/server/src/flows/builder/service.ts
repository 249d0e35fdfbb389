import { checkFlow, type CompanyFlowResponse, type Flow, type FlowDraftResponse, type FlowProblem, type FlowVersionView } from '@parley/protocol';
import type { FlowRegistry, StoredFlow } from '../flows.plugin.js';
import type { Sealer } from '../../lib/sealed.js';
import { Errors } from '../../errors.js';
import type { FlowAdminStore } from './store.js';
import { maskSecrets, sealSecrets } from './secrets.js';

/** The outcome of a publish: the version now live, or every problem (and nothing changed). */
export type PublishResult = { version: number } | { problems: FlowProblem[] };

/**
 * What a company's admins do with its bot: read the published flow, publish a new one (checked by
 * the shared validator, secrets sealed), list and roll back versions, keep a draft. Another
 * company's flows are never reachable: every call takes the caller's company.
 */
export class FlowAdmin {
  constructor(
    private readonly store: FlowAdminStore,
    private readonly flows: FlowRegistry,
    private readonly sealer: Sealer,
  ) {}

  /** The published flow with its version (404 before the company has any). */
  async published(companyId: string): Promise<CompanyFlowResponse> {
    const active = this.flows.active(companyId);
    if (!active) throw Errors.notFound('This company has no bot yet');
    const row = (await this.store.versions(companyId)).find((v) => v.version === active.version);
    return { flow: maskSecrets(active.flow), version: active.version, published_at: row?.published_at ?? '' };
  }

  /** Checks and publishes a flow document; conversations already running keep their version. */
  async publish(companyId: string, document: unknown, userId: string | null): Promise<PublishResult> {
    const problems = checkFlow(document);
    if (problems.length) return { problems };
    const sealed = sealSecrets(document as Flow, await this.previous(companyId), this.sealer);
    if (sealed.problems.length) return { problems: sealed.problems };
    const stored = await this.flows.activate(companyId, sealed.flow, userId);
    return { version: stored.version };
  }

  async versions(companyId: string): Promise<FlowVersionView[]> {
    return this.store.versions(companyId);
  }

  /** One published version (404 when the company has no such version). */
  async version(companyId: string, version: number): Promise<{ flow: Flow; version: FlowVersionView }> {
    const stored = await this.flows.published(companyId, version);
    const view = stored && (await this.store.versions(companyId)).find((v) => v.version === version);
    if (!stored || !view) throw Errors.notFound('No such version');
    return { flow: maskSecrets(stored.flow), version: view };
  }

  /** Makes an earlier version live again (404 when the company has no such version). */
  async rollback(companyId: string, version: number): Promise<{ version: number }> {
    const stored = await this.flows.republish(companyId, version);
    if (!stored) throw Errors.notFound('No such version');
    return { version: stored.version };
  }

  async draft(companyId: string): Promise<FlowDraftResponse> {
    const draft = await this.store.draft(companyId);
    if (!draft) return { draft: null, updated_at: null, problems: [] };
    return { draft: maskSecrets(draft.document as Flow), updated_at: draft.updatedAt, problems: checkFlow(draft.document) };
  }

  /** Saves the draft even when it has problems (they are returned); its secrets are sealed first. */
  async saveDraft(companyId: string, document: unknown, userId: string): Promise<FlowDraftResponse> {
    const sealed = sealSecrets(document as Flow, await this.previous(companyId), this.sealer);
    const updatedAt = await this.store.saveDraft(companyId, sealed.flow, userId);
    return { draft: maskSecrets(sealed.flow), updated_at: updatedAt, problems: [...checkFlow(document), ...sealed.problems] };
  }

  async deleteDraft(companyId: string): Promise<void> {
    await this.store.deleteDraft(companyId);
  }

  /**
   * A flow for a "Try it" conversation: the given document (or the draft) checked like a publish,
   * its secrets sealed, starting at `startAt` when given. Stored apart (version 0), never live.
   */
  async trial(companyId: string, document: unknown, startAt?: string): Promise<{ flow: StoredFlow } | { problems: FlowProblem[] }> {
    const source = document ?? (await this.store.draft(companyId))?.document ?? this.flows.active(companyId)?.flow;
    const problems = checkFlow(source);
    if (problems.length) return { problems };
    const sealed = sealSecrets(source as Flow, await this.previous(companyId), this.sealer);
    if (sealed.problems.length) return { problems: sealed.problems };
    if (startAt !== undefined && !Object.hasOwn(sealed.flow.steps, startAt)) {
      return { problems: [{ step: null, field: 'start', message: `"${startAt}" is not a step` }] };
    }
    return { flow: await this.flows.storeTrial(companyId, startAt ? { ...sealed.flow, start: startAt } : sealed.flow) };
  }

  /** The flows whose sealed secrets a new document may keep: the published one and the draft. */
  private async previous(companyId: string): Promise<Flow[]> {
    const list: Flow[] = [];
    const active = this.flows.active(companyId);
    if (active) list.push(active.flow);
    const draft = await this.store.draft(companyId);
    if (draft && typeof draft.document === 'object' && draft.document !== null) list.push(draft.document as Flow);
    return list;
  }
}
