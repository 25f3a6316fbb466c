/**
 * The HTML view of every OGC API path, for a person in a browser (`f=html`, or a browser's Accept
 * header): the same document as the JSON, its links as links and features as a table, in Chinese
 * (default) or English (`lang=en`). No scripts, no styles from elsewhere.
 */
export type Lang = 'zh' | 'en'

const WORDS = {
  zh: { links: '链接', features: '要素', matched: '匹配', returned: '本页', properties: '属性', collections: '数据集', other: 'English', otherLang: 'en' },
  en: {
    links: 'Links',
    features: 'Features',
    matched: 'Matched',
    returned: 'On this page',
    properties: 'Properties',
    collections: 'Collections',
    other: '中文',
    otherLang: 'zh',
  },
} as const

function escapeHtml(text: unknown): string {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

function htmlHref(href: string, lang: Lang): string {
  const url = new URL(href)
  url.searchParams.set('f', 'html')
  url.searchParams.set('lang', lang)
  return url.pathname + url.search
}

interface Doc {
  title?: string
  description?: string
  links?: { href: string; rel: string; type?: string; title?: string }[]
  collections?: { id: string; title: string; description?: string }[]
  features?: { id: string | number; properties: Record<string, unknown> }[]
  numberMatched?: number
  numberReturned?: number
  conformsTo?: string[]
  properties?: Record<string, { title?: string; type?: string; format?: string }>
  [key: string]: unknown
}

export function renderHtml(doc: Doc, lang: Lang, selfUrl: string, heading: string): string {
  const w = WORDS[lang]
  const parts: string[] = []
  parts.push(`<h1>${escapeHtml(doc.title ?? heading)}</h1>`)
  if (doc.description) parts.push(`<p>${escapeHtml(doc.description)}</p>`)
  const other = new URL(selfUrl)
  other.searchParams.set('lang', w.otherLang)
  other.searchParams.set('f', 'html')
  parts.push(`<p><a href="${escapeHtml(other.pathname + other.search)}" hreflang="${w.otherLang}">${w.other}</a></p>`)
  if (doc.links?.length) {
    parts.push(`<h2>${w.links}</h2><ul>`)
    for (const l of doc.links) {
      const href = l.type === 'text/html' ? htmlHref(l.href, lang) : new URL(l.href).pathname + new URL(l.href).search
      parts.push(`<li><a href="${escapeHtml(href)}">${escapeHtml(l.title ?? l.rel)}</a> <small>${escapeHtml(l.rel)} ${escapeHtml(l.type ?? '')}</small></li>`)
    }
    parts.push('</ul>')
  }
  if (doc.collections) {
    parts.push(`<h2>${w.collections}</h2><ul>`)
    for (const c of doc.collections)
      parts.push(`<li><a href="/ogc/collections/${escapeHtml(c.id)}?f=html&amp;lang=${lang}">${escapeHtml(c.title)}</a> (${escapeHtml(c.id)})</li>`)
    parts.push('</ul>')
  }
  if (doc.conformsTo) parts.push(`<ul>${doc.conformsTo.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul>`)
  if (doc.properties) {
    parts.push(`<h2>${w.properties}</h2><table><tr><th>name</th><th>title</th><th>type</th></tr>`)
    for (const [name, p] of Object.entries(doc.properties))
      parts.push(`<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(p.title)}</td><td>${escapeHtml(p.format ?? p.type)}</td></tr>`)
    parts.push('</table>')
  }
  if (doc.features) {
    parts.push(`<h2>${w.features}</h2><p>${w.matched}: ${escapeHtml(doc.numberMatched)} · ${w.returned}: ${escapeHtml(doc.numberReturned)}</p>`)
    const keys = [...new Set(doc.features.flatMap((f) => Object.keys(f.properties)))]
    parts.push(`<table><tr><th>id</th>${keys.map((k) => `<th>${escapeHtml(k)}</th>`).join('')}</tr>`)
    for (const f of doc.features) {
      const value = (v: unknown) => escapeHtml(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)
      parts.push(`<tr><td>${escapeHtml(f.id)}</td>${keys.map((k) => `<td>${value(f.properties[k])}</td>`).join('')}</tr>`)
    }
    parts.push('</table>')
  }
  if ((doc as { type?: string }).type === 'Feature') {
    const props = (doc as { properties?: Record<string, unknown> }).properties ?? {}
    parts.push(
      `<table>${Object.entries(props)
        .map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'object' && v !== null ? JSON.stringify(v) : v)}</td></tr>`)
        .join('')}</table>`,
    )
  }
  return `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>${escapeHtml(doc.title ?? heading)} · 网格态势 Gridscope</title></head><body>${parts.join('\n')}</body></html>`
}
