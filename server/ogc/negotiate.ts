/**
 * Which representation of an OGC resource to send. The `f` parameter wins over Accept (OGC API –
 * Common: the parameter is how a link names its format); otherwise Accept is weighed with its
 * q-values and specificity (RFC 9110 §12.5.1): JSON in the resource's own type (GeoJSON for
 * features) or HTML, JSON when nothing is asked for, and a 406 when every type asked for is one
 * we do not serve (`application/xml`, `image/png`, …).
 */
import { HttpProblem } from '../http/problem.ts'

export type Format = 'json' | 'html'

interface Range {
  type: string
  subtype: string
  q: number
}

/** The JSON types a JSON answer satisfies: its own type and plain application/json. */
function jsonTypesOf(jsonType: string): string[] {
  return [...new Set([baseType(jsonType), 'application/json'])]
}

function baseType(mediaType: string): string {
  return mediaType.split(';')[0]!.trim().toLowerCase()
}

function parseAccept(header: string): Range[] {
  const ranges: Range[] = []
  for (const part of header.split(',')) {
    const [type, ...params] = part.split(';')
    const [main, sub] = baseType(type ?? '').split('/')
    if (!main || !sub) continue
    let q = 1
    for (const param of params) {
      const [key, value] = param.split('=').map((s) => s.trim())
      if (key?.toLowerCase() === 'q') q = Number.isFinite(Number(value)) ? Math.min(1, Math.max(0, Number(value))) : 0
    }
    ranges.push({ type: main, subtype: sub, q })
  }
  return ranges
}

/** The q of a concrete type under the most specific range that matches it (0 when none does). */
function qualityOf(mediaType: string, ranges: Range[]): number {
  const [type, subtype] = mediaType.split('/') as [string, string]
  let best = -1
  let q = 0
  for (const range of ranges) {
    const specificity =
      range.type === type && range.subtype === subtype
        ? 2
        : range.type === type && range.subtype === '*'
          ? 1
          : range.type === '*' && range.subtype === '*'
            ? 0
            : -1
    if (specificity > best) {
      best = specificity
      q = range.q
    }
  }
  return best < 0 ? 0 : q
}

/** `f` (json|html) if given, else the best of JSON (in `jsonType`) and HTML for the Accept header. */
export function negotiateFormat(f: string | undefined, accept: string | undefined, jsonType: string, badF: () => Error): Format {
  if (f === 'html' || f === 'json') return f
  if (f !== undefined) throw badF()
  const ranges = parseAccept(accept ?? '')
  if (ranges.length === 0) return 'json'
  const json = Math.max(...jsonTypesOf(jsonType).map((t) => qualityOf(t, ranges)))
  const html = qualityOf('text/html', ranges)
  if (json === 0 && html === 0) {
    throw new HttpProblem(
      406,
      'Not acceptable',
      `This resource is served as ${jsonTypesOf(jsonType).join(', ')} or text/html (or choose with f=json or f=html); the Accept header allows neither.`,
    )
  }
  return html > json ? 'html' : 'json'
}
