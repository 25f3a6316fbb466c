/** The Open311 document writer: both formats, the list convention, and text that cannot break the XML. */
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { describe, expect, it } from 'vitest'
import { renderDocument, splitFormat } from './format.ts'

describe('Open311 documents', () => {
  it('wrap lists in the Spark convention and write null as an empty element', () => {
    const xml = renderDocument('services', [{ service_code: 'a.b', metadata: true, keywords: null }], 'xml')
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><services><service><service_code>a.b</service_code><metadata>true</metadata><keywords/></service></services>',
    )
  })

  it('keep any stored text well-formed: markup escaped, characters XML cannot hold replaced', () => {
    const text = '<b>&"\'</b>\u0001\u0008\u000B\ud800 电海 🙂 \uFFFE'
    const xml = renderDocument('errors', [{ code: 400, description: text }], 'xml')
    expect(XMLValidator.validate(xml)).toBe(true)
    const notXml = [...xml].filter((ch) => (ch.codePointAt(0)! < 0x20 && !'\t\n\r'.includes(ch)) || ch === '\uFFFE' || ch === '\uFFFF')
    expect(notXml).toEqual([])
    const parsed = new XMLParser({ parseTagValue: false, processEntities: true }).parse(xml) as { errors: { error: { description: string } } }
    expect(parsed.errors.error.description).toBe('<b>&"\'</b>\uFFFD\uFFFD\uFFFD\uFFFD 电海 🙂 \uFFFD')
    expect(JSON.parse(renderDocument('errors', [{ code: 400, description: text }], 'json'))[0].description).toBe(text)
  })

  it('split a file name at its last dot, so service codes keep theirs', () => {
    expect(splitFormat('dispute.neighbour.xml')).toEqual({ name: 'dispute.neighbour', format: 'xml' })
    expect(splitFormat('services.csv')).toBeNull()
  })
})
