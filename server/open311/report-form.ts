/**
 * The form of a POSTed service request turned into the incident a report makes, checked by the
 * same schema as POST /api/incidents (NewIncidentBody), with every complaint naming the Open311
 * field it came from (`attribute[severity]`, `lat`, `description`…). Fields the specification
 * lists that Gridscope keeps no place for (email, phone, device_id, account_id) are accepted and
 * dropped: residents' contacts are not collected through a channel that cannot show them again.
 * The sender's name becomes the reporter, stored and masked when read like every reporter.
 */
import { isStorableText } from '../http/validate.ts'
import { NewIncidentBody, type NewIncident } from '../incidents/types.ts'
import { Open311Error } from './format.ts'
import { ATTRIBUTES, PARTY_SLOTS, SOURCES } from './services.ts'

export type FormValue = string | File | (string | File)[]
export type FormBody = Record<string, FormValue>

/** The single-valued fields a request may carry besides the attributes. */
const FIELDS = [
  'api_key',
  'jurisdiction_id',
  'service_code',
  'lat',
  'long',
  'address_string',
  'address_id',
  'email',
  'device_id',
  'account_id',
  'first_name',
  'last_name',
  'phone',
  'description',
  'media_url',
] as const
export type Field = (typeof FIELDS)[number]

export interface ReportForm {
  fields: Partial<Record<Field, string>>
  attributes: Record<string, string>
}

const ATTRIBUTE_CODES = new Set(ATTRIBUTES.map((a) => a.code))

/** The fields and attributes of a form, each one text value; unknown top-level fields are ignored. */
export function readForm(body: FormBody): ReportForm {
  const fields: ReportForm['fields'] = {}
  const attributes: ReportForm['attributes'] = {}
  for (const [name, value] of Object.entries(body)) {
    const attribute = /^attribute\[([^\]]*)\](\[\])?$/.exec(name)
    if (attribute) {
      const code = attribute[1]!
      if (!ATTRIBUTE_CODES.has(code))
        throw bad(`attribute[${code.slice(0, 50)}]`, 'no such attribute; see the service definition (services/{service_code}.json).')
      attributes[code] = single(`attribute[${code}]`, value)
    } else if ((FIELDS as readonly string[]).includes(name)) {
      fields[name as Field] = single(name, value)
    }
  }
  return { fields, attributes }
}

function single(name: string, value: FormValue): string {
  if (Array.isArray(value)) {
    if (value.length !== 1) throw bad(name, 'expected one value.')
    return single(name, value[0]!)
  }
  if (typeof value !== 'string') throw bad(name, 'expected text, not a file (link media with media_url).')
  if (!isStorableText(value)) throw bad(name, 'expected well-formed text: no NUL characters and no unpaired surrogates.')
  return value
}

/** The incident the form reports (location added by the caller), checked. */
export function incidentOf(form: ReportForm, serviceName: string, location: NewIncident['location']): NewIncident {
  const { fields, attributes: a } = form
  if (a.severity === undefined || a.severity === '') throw bad('attribute[severity]', 'required: one of 1, 2, 3, 4.')
  if (!/^[1-4]$/.test(a.severity)) throw bad('attribute[severity]', 'expected one of 1, 2, 3, 4.')
  if (a.source && !(a.source in SOURCES)) throw bad('attribute[source]', `expected one of ${Object.keys(SOURCES).join(', ')}.`)
  const parties = partiesOf(a)
  const description = fields.description?.trim() ?? ''
  const reporter = [fields.last_name, fields.first_name]
    .map((s) => s?.trim())
    .filter(Boolean)
    .join(' ')
  const input = {
    category: fields.service_code,
    severity: Number(a.severity),
    title: a.title?.trim() || (description.split('\n')[0] ?? '').trim().slice(0, 200) || serviceName,
    ...(description ? { description } : {}),
    source: (a.source || 'referral') as keyof typeof SOURCES,
    ...(reporter ? { reporter } : {}),
    ...(a.occurred_at ? { occurredAt: a.occurred_at } : {}),
    location,
    ...(parties.length ? { parties: parties.map((p) => p.party) } : {}),
  }
  const parsed = NewIncidentBody.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw bad(
      fieldOf(
        issue.path,
        parties.map((p) => p.slot),
      ),
      issue.message,
    )
  }
  return parsed.data
}

/** The parties the attributes name, each with its slot (party1, party2) for errors. */
function partiesOf(a: Record<string, string>): { slot: number; party: { name: string; phone?: string; idNumber?: string } }[] {
  return PARTY_SLOTS.flatMap((n) => {
    const name = a[`party${n}_name`]?.trim()
    const phone = a[`party${n}_phone`]?.trim() || undefined
    const idNumber = a[`party${n}_id_number`]?.trim() || undefined
    if (!name && !phone && !idNumber) return []
    if (!name) throw bad(`attribute[party${n}_name]`, 'required with a phone or ID number of the party.')
    return [{ slot: n, party: { name, ...(phone ? { phone } : {}), ...(idNumber ? { idNumber } : {}) } }]
  })
}

const FIELD_OF: Record<string, string> = {
  category: 'service_code',
  severity: 'attribute[severity]',
  title: 'attribute[title]',
  description: 'description',
  source: 'attribute[source]',
  reporter: 'last_name',
  occurredAt: 'attribute[occurred_at]',
  location: 'lat',
}
const PARTY_FIELD: Record<string, string> = { name: 'name', phone: 'phone', idNumber: 'id_number' }

function fieldOf(path: PropertyKey[], slots: number[]): string {
  if (path[0] === 'parties' && typeof path[1] === 'number') return `attribute[party${slots[path[1]]}_${PARTY_FIELD[String(path[2])] ?? 'name'}]`
  return FIELD_OF[String(path[0])] ?? String(path[0])
}

export function bad(name: string, reason: string): Open311Error {
  return new Open311Error(400, `${name}: ${reason}`)
}
