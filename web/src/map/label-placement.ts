/**
 * Which labels to draw, and where, so that none overlap: greedy, most important first, each on
 * its point or else just above or below it, on the label boxes at a given zoom. deck.gl's TextLayer draws every label it is given, and at the lower levels two
 * dozen village names can crowd one town; the tooltip still names any cell whose label is
 * dropped. Pure (Web Mercator maths only) so it is unit-tested and runs for the zoom the camera
 * is flying to, not only the one it is at.
 */
export interface LabelCandidate {
  text: string
  position: [number, number]
  /** Higher is placed first (e.g. households, so the biggest cells keep their names). */
  priority: number
}

/** Pixel position of lon/lat in a Web Mercator world of 512 × 2^zoom pixels (MapLibre's tiles). */
export function mercatorPixel([lon, lat]: [number, number], zoom: number): [number, number] {
  const size = 512 * 2 ** zoom
  const sin = Math.sin((Math.max(-85.05, Math.min(85.05, lat)) * Math.PI) / 180)
  const x = ((lon + 180) / 360) * size
  const y = (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI)) * size
  return [x, y]
}

/** Width of a label in pixels: CJK characters are square, Latin letters and digits about half. */
export function labelWidth(text: string, fontSize: number): number {
  let width = 0
  for (const character of text) width += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(character) ? fontSize : fontSize * 0.6
  return width
}

/** Where a label may go around its point, in order of preference: on it, just above, just below. */
const SHIFTS: readonly number[] = [0, -1, 1]

export interface Placement<T> {
  label: T
  /** Pixel offset from the label's point (deck.gl's getPixelOffset). */
  offset: [number, number]
}

export function placeLabels<T extends LabelCandidate>(candidates: readonly T[], zoom: number, fontSize: number, gap = 3): Placement<T>[] {
  const placed: { box: [number, number, number, number]; placement: Placement<T> }[] = []
  const ordered = [...candidates].sort((a, b) => b.priority - a.priority)
  for (const label of ordered) {
    const [x, y] = mercatorPixel(label.position, zoom)
    const halfWidth = labelWidth(label.text, fontSize) / 2 + gap
    const halfHeight = fontSize / 2 + gap
    for (const shift of SHIFTS) {
      const dy = shift * (fontSize + 2 * gap)
      const box: [number, number, number, number] = [x - halfWidth, y + dy - halfHeight, x + halfWidth, y + dy + halfHeight]
      const overlaps = placed.some(({ box: other }) => box[0] < other[2] && other[0] < box[2] && box[1] < other[3] && other[1] < box[3])
      if (!overlaps) {
        placed.push({ box, placement: { label, offset: [0, dy] } })
        break
      }
    }
  }
  // Back in the input order, so the layer's data order stays stable from one zoom to the next.
  const byLabel = new Map(placed.map((p) => [p.placement.label, p.placement]))
  return candidates.flatMap((label) => byLabel.get(label) ?? [])
}
