/**
 * A bounding box in degrees that surely holds a circle of `radiusM` metres around a point at
 * latitude `lat`, for the index pre-filter before an exact distance test: a degree of longitude
 * shrinks with the latitude (111 km at the equator, 66 km at China's northern border), so the box
 * is wider there. 10% to spare; latitudes beyond 85° are taken as 85°.
 */
export function envelopeDegrees(radiusM: number, lat: number): { dLon: number; dLat: number } {
  const spare = 1.1
  const dLat = (radiusM / 110_574) * spare
  const dLon = (radiusM / (111_320 * Math.cos((Math.min(Math.abs(lat), 85) * Math.PI) / 180))) * spare
  return { dLon, dLat }
}
