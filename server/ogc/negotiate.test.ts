/** Format negotiation for /ogc: f first, then Accept with q-values and specificity, else 406. */
import { describe, expect, it } from 'vitest'
import { HttpProblem } from '../http/problem.ts'
import { negotiateFormat } from './negotiate.ts'

const GEO = 'application/geo+json'
const badF = () => new Error('bad f')
const pick = (accept: string | undefined, f?: string, type = GEO) => negotiateFormat(f, accept, type, badF)

describe('negotiateFormat', () => {
  it('lets f win over any Accept header', () => {
    expect(pick('application/xml', 'json')).toBe('json')
    expect(pick('application/json', 'html')).toBe('html')
    expect(() => pick('application/json', 'xml')).toThrow('bad f')
  })

  it('answers JSON when nothing or anything is asked for', () => {
    expect(pick(undefined)).toBe('json')
    expect(pick('')).toBe('json')
    expect(pick('*/*')).toBe('json')
    expect(pick('application/*')).toBe('json')
  })

  it('follows q-values and the most specific range', () => {
    expect(pick('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe('html') // a browser
    expect(pick('application/geo+json, application/json;q=0.9')).toBe('json') // GDAL
    expect(pick('text/html;q=0.5, application/json')).toBe('json')
    expect(pick('text/html, application/geo+json;q=0.4')).toBe('html')
    expect(pick('*/*;q=0.1, text/html;q=0')).toBe('json')
    expect(pick('application/vnd.oai.openapi+json;version=3.0', undefined, 'application/vnd.oai.openapi+json;version=3.0')).toBe('json')
  })

  it('refuses with 406 when every type asked for is one not served', () => {
    for (const accept of [
      'application/xml',
      'image/png',
      'text/csv, application/xml;q=0.5',
      'application/json;q=0, text/html;q=0',
      'application/geo+json;q=0',
    ]) {
      let thrown: unknown
      try {
        pick(accept)
      } catch (error) {
        thrown = error
      }
      expect(thrown, accept).toBeInstanceOf(HttpProblem)
      expect((thrown as HttpProblem).status).toBe(406)
    }
  })
})
