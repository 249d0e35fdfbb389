import type { Insertable, Selectable } from 'kysely';

/** Visitor data collected by a flow, a form or `POST /api/send-lead`. */
export interface LeadsTable {
  id: string;
  company_id: string;
  conversation_id: string | null;
  /** flow | form | api */
  source: string;
  /** JSON object of flat values. */
  data: string;
  created_at: string;
}
export type LeadRow = Selectable<LeadsTable>;
export type NewLeadRow = Insertable<LeadsTable>;
