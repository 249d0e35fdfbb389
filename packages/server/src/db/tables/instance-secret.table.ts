/** The instance secret nodes share when `PARLEY_SECRET` is unset (PostgreSQL; one row, id 1). */
export interface InstanceSecretTable {
  id: number;
  value: string;
  created_at: string;
}
