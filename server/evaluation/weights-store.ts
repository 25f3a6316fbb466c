/**
 * The weights in force: the commander's, saved from the interface (evaluation_weights, one row),
 * over the weights file checked at start (a key the saved row lacks, e.g. an indicator added
 * since, keeps the file's value). A change is saved and audited in one transaction.
 */
import type { Sql } from '../db/connect.ts'
import { SCORED_INDICATORS } from './indicators.ts'
import type { Weights } from './weights.ts'

export const WEIGHTS_AUDIT_ACTION = 'evaluation_weights'

export interface WeightsInForce {
  weights: Weights
  /** The file's weights (what "reset" returns to). */
  defaults: Weights
  updatedBy: string | null
  updatedAt: string | null
}

export async function weightsInForce(sql: Sql, defaults: Weights): Promise<WeightsInForce> {
  const [row] = await sql<{ weights: Partial<Weights>; updated_by: string; updated_at: Date }[]>`
    select weights, updated_by, updated_at from evaluation_weights where id = 1`
  if (!row) return { weights: defaults, defaults, updatedBy: null, updatedAt: null }
  const weights = { ...defaults }
  for (const key of SCORED_INDICATORS) if (typeof row.weights[key] === 'number') weights[key] = row.weights[key]
  return { weights, defaults, updatedBy: row.updated_by, updatedAt: row.updated_at.toISOString() }
}

export interface WeightsChange {
  actorId: number | null
  actor: string
  role: string
  clientIp: string
}

/** Save `weights` and record who changed what (only the keys that moved) in the audit log. */
export async function saveWeights(sql: Sql, defaults: Weights, weights: Weights, by: WeightsChange): Promise<WeightsInForce> {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('evaluation_weights'))`
    const [row] = await tx<{ weights: Partial<Weights> }[]>`select weights from evaluation_weights where id = 1`
    const before = { ...defaults, ...(row?.weights ?? {}) }
    const moved = SCORED_INDICATORS.filter((k) => before[k] !== weights[k]).map((k) => `${k} ${before[k]}→${weights[k]}`)
    await tx`
      insert into evaluation_weights (id, weights, updated_by, updated_at) values (1, ${tx.json(weights)}, ${by.actor}, now())
      on conflict (id) do update set weights = excluded.weights, updated_by = excluded.updated_by, updated_at = now()`
    await tx`
      insert into audit_log (actor_id, actor, actor_role, action, incident_id, reason, client_ip)
      values (${by.actorId}, ${by.actor}, ${by.role}, ${WEIGHTS_AUDIT_ACTION}, null, ${moved.length ? moved.join('; ') : 'unchanged'}, ${by.clientIp})`
  })
  return weightsInForce(sql, defaults)
}
