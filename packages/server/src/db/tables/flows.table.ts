import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A company's flow document; the active one answers its visitors. */
export interface FlowsTable {
  id: string;
  company_id: string;
  name: string;
  /** The flow as JSON, validated before it is stored. */
  definition: string;
  is_active: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type FlowRow = Selectable<FlowsTable>;
export type NewFlowRow = Insertable<FlowsTable>;
export type FlowUpdate = Updateable<FlowsTable>;
