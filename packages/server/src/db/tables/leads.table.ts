import type { Insertable, Selectable } from 'kysely';
import type { LeadView } from '@parley/protocol';

/** Visitor data collected by a flow, a form or `POST /api/send-lead`. */
export interface LeadsTable {
  id: string;
  company_id: string;
  conversation_id: string | null;
  source: LeadView['source'];
  /** JSON object of flat values. */
  data: string;
  created_at: string;
}
export type LeadRow = Selectable<LeadsTable>;
export type NewLeadRow = Insertable<LeadsTable>;
