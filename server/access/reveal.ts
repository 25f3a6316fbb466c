/**
 * POST /api/incidents/:id/parties/reveal { reason }: the unmasked parties of one case, for a role
 * with the reveal permission and a case inside its scope (else 403 / 404). The read and its audit
 * record (who, which case, what, when, why) are one transaction: no look without its record.
 * The answer is never cached (Cache-Control: no-store).
 */
import { Hono } from 'hono'
import { z } from 'zod'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { IncidentIdParams } from '../incidents/types.ts'
import { clientIp } from './client-ip.ts'
import { requirePermission } from './scope.ts'

export const RevealBody = z.strictObject({
  reason: z
    .string({ message: 'Expected reason as text of 4 to 500 characters: why the parties must be seen.' })
    .trim()
    .min(4, 'Expected a reason of 4 to 500 characters: why the parties must be seen.')
    .max(500, 'Expected a reason of 4 to 500 characters.'),
})

export interface RevealedParty {
  name: string
  phone: string | null
  idNumber: string | null
}

/** What a reveal shows: the parties, and the case's free text and timeline notes as written. */
export interface RevealedCase {
  parties: RevealedParty[]
  title: string
  description: string
  notes: { id: number; note: string }[]
}

export const REVEAL_ACTION = 'reveal_parties'

export function revealRoutes(sql: Sql) {
  return new Hono().post(
    '/:id/parties/reveal',
    describeRoute({ tag: 'incidents', summary: "Reveal a case's parties in full, with a reason (audited)", errors: [403, 404] }),
    validate('param', IncidentIdParams),
    validate('json', RevealBody),
    async (c) => {
      const viewer = requirePermission(c, 'reveal')
      const { id } = c.req.valid('param')
      const { reason } = c.req.valid('json')
      const revealed = await sql.begin(async (tx) => {
        // The free text as written goes with the parties: the masked copies served elsewhere hide them there too.
        const [row] = await tx<RevealedCase[]>`
        select coalesce((select json_agg(json_build_object('name', p->>'name', 'phone', p->>'phone', 'idNumber', p->>'idNumber'))
                         from jsonb_array_elements(i.parties) p), '[]'::json) as parties,
               i.title, i.description,
               coalesce((select json_agg(json_build_object('id', e.id, 'note', e.note) order by e.id) from incident_event e
                         where e.note <> '' and (e.incident_id = i.id or e.incident_id in (select m.id from incident m where m.merged_into = i.id))), '[]'::json) as notes
        from incident i where i.id = ${id} and i.grid_code like ${viewer.scope + '%'}`
        if (!row) return null
        await tx`
        insert into audit_log (actor_id, actor, actor_role, action, incident_id, reason, client_ip)
        values (${viewer.kind === 'user' ? viewer.id : null}, ${viewer.name}, ${viewer.role}, ${REVEAL_ACTION}, ${id}, ${reason}, ${clientIp(c)})`
        return row
      })
      if (!revealed) throw new HttpProblem(404, 'Incident not found', `No incident has the id ${id} (parameter id).`)
      return c.json({ incidentId: id, ...revealed }, 200, { 'cache-control': 'no-store' })
    },
  )
}
