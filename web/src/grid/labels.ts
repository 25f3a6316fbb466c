/**
 * Map labels of grid cells. Village and community names end in the committee that governs them
 * (蓝田坡村委会, 霞里社区居委会); on the map the place is what matters and the long suffix only
 * makes neighbouring labels collide, so it is shortened the way Chinese maps write them
 * (蓝田坡村, 霞里社区). The tooltip and the side panel keep the full name.
 */
const VILLAGE_SUFFIXES: [suffix: string, short: string][] = [
  ['社区居民委员会', '社区'],
  ['社区居委会', '社区'],
  ['村民委员会', '村'],
  ['村委会', '村'],
  ['居民委员会', '居委'],
  ['居委会', '居委'],
]

export function mapLabelOf(name: string, level: number): string {
  if (level !== 3) return name
  for (const [suffix, short] of VILLAGE_SUFFIXES) {
    // Keep at least one character of the place itself.
    if (name.endsWith(suffix) && name.length > suffix.length) return name.slice(0, -suffix.length) + short
  }
  return name
}
