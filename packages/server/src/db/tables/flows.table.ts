import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A company's flow document; the active one answers its visitors. */
export interface FlowsTable {
  id: string;
  company_id: string;
  name: string;
  /** The flow as JSON, validated before it is stored. */
  definition: string;
  is_active: Generated<number>;
  /** 1, 2, 3... per company in publishing order; 0 for a flow only "Try it" conversations run. */
  version: Generated<number>;
  /** The user who published it (null for flows from a file or the demo). */
  published_by: string | null;
  created_at: string;
  updated_at: string;
}
export type FlowRow = Selectable<FlowsTable>;
export type NewFlowRow = Insertable<FlowsTable>;
export type FlowUpdate = Updateable<FlowsTable>;

/** A company's unpublished flow, as the builder last saved it (may be invalid). */
export interface FlowDraftsTable {
  company_id: string;
  definition: string;
  updated_by: string | null;
  updated_at: string;
}
export type FlowDraftRow = Selectable<FlowDraftsTable>;
