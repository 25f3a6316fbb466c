/**
 * The deterministic generator of the demo grid: five levels of grid cells for one county, from
 * its official division list and boundary plus a few hand-written hints. Entry points: loadSource
 * (read a county folder), generateGrid (pure, same source → same grid) and serializeGrid (the
 * canonical JSON that determinism is judged on). `npm run generate` runs it from the command line.
 */
export type {
  ContextRegion,
  GeneratedGrid,
  GridCell,
  GridFigures,
  GridPerson,
  GridSource,
  Level,
  PartyOrg,
  ProgressFn,
  SourceDivision,
} from './types.ts'
export { loadSource } from './source.ts'
export { generateGrid, generateGridWithStats, type GenerationStats } from './generate.ts'
export { serializeGrid } from './serialize.ts'
