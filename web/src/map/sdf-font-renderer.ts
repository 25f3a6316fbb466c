/**
 * Glyph rasteriser for the label TextLayers: deck.gl's own SDF renderer with one correction.
 * tiny-sdf 2.3 crops each glyph to its ink and reports where the ink starts (`glyphLeft`), but
 * deck.gl 9.4 places the bitmap as if the ink started at the pen position. CJK glyphs differ in
 * their left bearing (电 starts 8/64 em in, 城 2/64), so names rendered unevenly spaced
 * ("电 城镇"). Passing the real offset lines every glyph up with its advance again.
 */
import type { TextLayerProps } from '@deck.gl/layers'
import TinySDF from '@mapbox/tiny-sdf'

type FontRendererFactory = NonNullable<TextLayerProps['_getFontRenderer']>
type FontRenderer = ReturnType<FontRendererFactory>

/** The labels are Chinese place names: ask for Simplified Chinese glyph forms whatever the UI language. */
const GLYPH_LANGUAGE = 'zh-CN'

export const createSdfFontRenderer: FontRendererFactory = (settings) => {
  const { fontSize, buffer, radius, cutoff, fontFamily, fontWeight } = settings
  const sdf = new TinySDF({ fontSize, buffer, radius, cutoff, fontFamily, fontWeight: `${fontWeight}`, lang: GLYPH_LANGUAGE })
  const context = document.createElement('canvas').getContext('2d')!
  context.font = `${fontWeight} ${fontSize}px ${fontFamily}`
  if ('lang' in context) context.lang = GLYPH_LANGUAGE

  const renderer: FontRenderer = {
    measure(char) {
      const metrics = context.measureText(char ?? 'A')
      if (char === undefined) {
        return { advance: 0, width: 0, ascent: Math.ceil(metrics.fontBoundingBoxAscent), descent: Math.ceil(metrics.fontBoundingBoxDescent) }
      }
      // `width` only reserves atlas space: enough for the ink wherever it sits, plus the SDF halo.
      const inkRight = Math.max(metrics.width, metrics.actualBoundingBoxRight)
      return {
        advance: metrics.width,
        width: Math.ceil(inkRight + Math.max(0, metrics.actualBoundingBoxLeft)) + 2 * buffer,
        ascent: Math.ceil(metrics.actualBoundingBoxAscent),
        descent: Math.ceil(metrics.actualBoundingBoxDescent),
      }
    },
    draw(char) {
      const glyph = sdf.draw(char)
      const image = new ImageData(glyph.width, glyph.height)
      for (let i = 0; i < glyph.data.length; i++) image.data[4 * i + 3] = glyph.data[i]!
      // `left`: how far the bitmap's left edge lies left of the pen position.
      return { data: image, left: buffer - (glyph.glyphLeft ?? 0), top: buffer }
    },
  }
  return renderer
}
