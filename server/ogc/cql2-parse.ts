/**
 * CQL2 text (OGC 21-065, the basic-cql2 class plus S_INTERSECTS and T_INTERSECTS) parsed by a
 * small recursive-descent parser into a tree; cql2-sql.ts turns the tree into SQL with every
 * literal bound. No npm package parses CQL2 (the ones there parse GeoServer's ECQL), hence this.
 * Hostile input is bounded: text length, nesting depth and coordinate count; every failure is a
 * Cql2Error saying where and what, which the route answers with 400.
 */
export type Literal =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'timestamp'; value: string }
  | { kind: 'date'; value: string }

export type Geometry = { kind: 'bbox'; coords: number[] } | { kind: 'polygon'; rings: number[][][] } | { kind: 'point'; coords: number[] }
export type Temporal = { kind: 'instant'; value: string } | { kind: 'interval'; start: string | null; end: string | null }
export type ComparisonOp = '=' | '<>' | '<' | '>' | '<=' | '>='

export type Cql2Node =
  | { op: 'and' | 'or'; args: Cql2Node[] }
  | { op: 'not'; arg: Cql2Node }
  | { op: 'compare'; cmp: ComparisonOp; property: string; value: Literal }
  | { op: 'isNull'; property: string; negated: boolean }
  | { op: 's_intersects'; property: string; geometry: Geometry }
  | { op: 't_intersects'; property: string; temporal: Temporal }

export class Cql2Error extends Error {}

export const CQL2_LIMITS = { maxLength: 20_000, maxDepth: 40, maxCoordinates: 4_000 }

type Token = { type: 'word' | 'quoted' | 'string' | 'number' | 'punct'; text: string; at: number }

function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      i++
      continue
    }
    const at = i
    if (ch === "'") {
      let value = ''
      i++
      for (;;) {
        if (i >= text.length) throw new Cql2Error(`unterminated string starting at character ${at + 1}`)
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            value += "'"
            i += 2
            continue
          }
          i++
          break
        }
        value += text[i++]
      }
      tokens.push({ type: 'string', text: value, at })
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1)
      if (end < 0) throw new Cql2Error(`unterminated quoted property name at character ${at + 1}`)
      tokens.push({ type: 'quoted', text: text.slice(i + 1, end), at })
      i = end + 1
    } else if (/[0-9.+-]/.test(ch) && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.test(text.slice(i, i + 40))) {
      const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(i))!
      tokens.push({ type: 'number', text: m[0], at })
      i += m[0].length
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_:.]*/.exec(text.slice(i))!
      tokens.push({ type: 'word', text: m[0], at })
      i += m[0].length
    } else {
      const two = text.slice(i, i + 2)
      if (two === '<>' || two === '<=' || two === '>=') {
        tokens.push({ type: 'punct', text: two, at })
        i += 2
      } else if ('()=<>,'.includes(ch)) {
        tokens.push({ type: 'punct', text: ch, at })
        i++
      } else throw new Cql2Error(`unexpected character ${JSON.stringify(ch)} at character ${at + 1}`)
    }
  }
  return tokens
}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IS',
  'NULL',
  'TRUE',
  'FALSE',
  'TIMESTAMP',
  'DATE',
  'INTERVAL',
  'BBOX',
  'POLYGON',
  'POINT',
  'S_INTERSECTS',
  'T_INTERSECTS',
])
const COMPARISONS = new Set(['=', '<>', '<', '>', '<=', '>='])
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/

export function parseCql2(text: string): Cql2Node {
  if (text.length > CQL2_LIMITS.maxLength) throw new Cql2Error(`the filter is longer than ${CQL2_LIMITS.maxLength} characters`)
  const tokens = tokenize(text)
  let pos = 0
  let coordinates = 0
  const peek = () => tokens[pos]
  const where = () => (peek() ? `at character ${peek()!.at + 1}` : 'at the end')
  const isWord = (word: string) => peek()?.type === 'word' && peek()!.text.toUpperCase() === word
  const expectPunct = (p: string) => {
    if (peek()?.type !== 'punct' || peek()!.text !== p) throw new Cql2Error(`expected "${p}" ${where()}`)
    pos++
  }
  const expectWord = (word: string) => {
    if (!isWord(word)) throw new Cql2Error(`expected ${word} ${where()}`)
    pos++
  }

  function orExpr(depth: number): Cql2Node {
    if (depth > CQL2_LIMITS.maxDepth) throw new Cql2Error(`the filter nests deeper than ${CQL2_LIMITS.maxDepth} levels`)
    const args = [andExpr(depth)]
    while (isWord('OR')) {
      pos++
      args.push(andExpr(depth))
    }
    return args.length === 1 ? args[0]! : { op: 'or', args }
  }
  function andExpr(depth: number): Cql2Node {
    const args = [notExpr(depth)]
    while (isWord('AND')) {
      pos++
      args.push(notExpr(depth))
    }
    return args.length === 1 ? args[0]! : { op: 'and', args }
  }
  function notExpr(depth: number): Cql2Node {
    if (isWord('NOT')) {
      if (depth >= CQL2_LIMITS.maxDepth) throw new Cql2Error(`the filter nests deeper than ${CQL2_LIMITS.maxDepth} levels`)
      pos++
      return { op: 'not', arg: notExpr(depth + 1) }
    }
    return primary(depth)
  }
  function primary(depth: number): Cql2Node {
    const t = peek()
    if (!t) throw new Cql2Error('the filter ends where a condition was expected')
    if (t.type === 'punct' && t.text === '(') {
      pos++
      const inner = orExpr(depth + 1)
      expectPunct(')')
      return inner
    }
    if (isWord('S_INTERSECTS')) {
      pos++
      expectPunct('(')
      const property = propertyName()
      expectPunct(',')
      const geometry = geometryLiteral()
      expectPunct(')')
      return { op: 's_intersects', property, geometry }
    }
    if (isWord('T_INTERSECTS')) {
      pos++
      expectPunct('(')
      const property = propertyName()
      expectPunct(',')
      const temporal = temporalLiteral()
      expectPunct(')')
      return { op: 't_intersects', property, temporal }
    }
    // A comparison: property op literal, or literal op property (flipped).
    if ((t.type === 'word' && !KEYWORDS.has(t.text.toUpperCase())) || t.type === 'quoted') {
      const property = propertyName()
      if (isWord('IS')) {
        pos++
        const negated = isWord('NOT')
        if (negated) pos++
        expectWord('NULL')
        return { op: 'isNull', property, negated }
      }
      const cmp = comparison()
      return { op: 'compare', cmp, property, value: literal() }
    }
    const value = literal()
    const cmp = comparison()
    const flipped: Record<ComparisonOp, ComparisonOp> = { '=': '=', '<>': '<>', '<': '>', '>': '<', '<=': '>=', '>=': '<=' }
    return { op: 'compare', cmp: flipped[cmp], property: propertyName(), value }
  }
  function comparison(): ComparisonOp {
    const t = peek()
    if (t?.type !== 'punct' || !COMPARISONS.has(t.text)) throw new Cql2Error(`expected a comparison (=, <>, <, >, <=, >=) or IS NULL ${where()}`)
    pos++
    return t.text as ComparisonOp
  }
  function propertyName(): string {
    const t = peek()
    if (t?.type === 'quoted' || (t?.type === 'word' && !KEYWORDS.has(t.text.toUpperCase()))) {
      pos++
      return t.text
    }
    throw new Cql2Error(`expected a property name ${where()}`)
  }
  function instantString(kind: string): string {
    const t = peek()
    if (t?.type !== 'string' || !ISO_INSTANT.test(t.text) || Number.isNaN(Date.parse(t.text)))
      throw new Cql2Error(`expected an ISO 8601 ${kind} in quotes ${where()}`)
    pos++
    return t.text
  }
  function literal(): Literal {
    const t = peek()
    if (!t) throw new Cql2Error('the filter ends where a value was expected')
    if (t.type === 'string') {
      pos++
      return { kind: 'string', value: t.text }
    }
    if (t.type === 'number') {
      pos++
      const value = Number(t.text)
      if (!Number.isFinite(value)) throw new Cql2Error(`the number ${t.text} is out of range`)
      return { kind: 'number', value }
    }
    if (isWord('TRUE') || isWord('FALSE')) {
      pos++
      return { kind: 'boolean', value: t.text.toUpperCase() === 'TRUE' }
    }
    if (isWord('TIMESTAMP') || isWord('DATE')) {
      const kind = t.text.toUpperCase() === 'DATE' ? 'date' : 'timestamp'
      pos++
      expectPunct('(')
      const value = instantString(kind)
      if (kind === 'date' && value.length !== 10) throw new Cql2Error(`DATE takes a date YYYY-MM-DD, not ${value}`)
      expectPunct(')')
      return { kind, value }
    }
    throw new Cql2Error(`expected a value ${where()}`)
  }
  function number(): number {
    const t = peek()
    if (t?.type !== 'number') throw new Cql2Error(`expected a number ${where()}`)
    pos++
    if (++coordinates > CQL2_LIMITS.maxCoordinates) throw new Cql2Error(`the filter has more than ${CQL2_LIMITS.maxCoordinates} coordinates`)
    return Number(t.text)
  }
  function position(): number[] {
    const xy = [number(), number()]
    if (peek()?.type === 'number') number() // a Z value is accepted and ignored
    return xy
  }
  function geometryLiteral(): Geometry {
    if (isWord('BBOX')) {
      pos++
      expectPunct('(')
      const coords = [number()]
      while (peek()?.text === ',') {
        pos++
        coords.push(number())
      }
      expectPunct(')')
      if (coords.length !== 4 && coords.length !== 6) throw new Cql2Error('BBOX takes 4 or 6 numbers')
      return { kind: 'bbox', coords: coords.length === 6 ? [coords[0]!, coords[1]!, coords[3]!, coords[4]!] : coords }
    }
    if (isWord('POINT')) {
      pos++
      expectPunct('(')
      const coords = position()
      expectPunct(')')
      return { kind: 'point', coords }
    }
    if (isWord('POLYGON')) {
      pos++
      expectPunct('(')
      const rings: number[][][] = []
      do {
        if (rings.length) pos++
        expectPunct('(')
        const ring = [position()]
        while (peek()?.text === ',') {
          pos++
          ring.push(position())
        }
        expectPunct(')')
        const first = ring[0]!
        const last = ring.at(-1)!
        if (ring.length < 4 || first[0] !== last[0] || first[1] !== last[1])
          throw new Cql2Error('a POLYGON ring needs at least 4 positions and must end where it starts')
        rings.push(ring)
      } while (peek()?.text === ',')
      expectPunct(')')
      return { kind: 'polygon', rings }
    }
    throw new Cql2Error(`expected BBOX(…), POINT(…) or POLYGON((…)) ${where()}`)
  }
  function temporalLiteral(): Temporal {
    if (isWord('INTERVAL')) {
      pos++
      expectPunct('(')
      const bound = () => {
        if (peek()?.type === 'string' && peek()!.text === '..') {
          pos++
          return null
        }
        return instantString('instant')
      }
      const start = bound()
      expectPunct(',')
      const end = bound()
      expectPunct(')')
      return { kind: 'interval', start, end }
    }
    const value = literal()
    if (value.kind !== 'timestamp' && value.kind !== 'date') throw new Cql2Error('T_INTERSECTS takes TIMESTAMP(…), DATE(…) or INTERVAL(…, …)')
    return { kind: 'instant', value: value.value }
  }

  const tree = orExpr(0)
  if (pos < tokens.length) throw new Cql2Error(`unexpected ${JSON.stringify(tokens[pos]!.text)} ${where()}`)
  return tree
}
