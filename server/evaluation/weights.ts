/**
 * The weights of the scored indicators, read from a JSON file (data/evaluation-weights.json by
 * default, EVALUATION_WEIGHTS to choose another) when the API is assembled: a bad file stops the
 * start with an error naming the file and the key, never a silent default.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { SCORED_INDICATORS, type IndicatorKey } from './indicators.ts'

export type Weights = Record<IndicatorKey, number>

const Weight = z.number({ error: 'expected a number' }).min(0, 'expected a number ≥ 0').max(100, 'expected a number ≤ 100')
export const WeightsSchema = z.strictObject(Object.fromEntries(SCORED_INDICATORS.map((k) => [k, Weight])) as Record<IndicatorKey, typeof Weight>)

export const DEFAULT_WEIGHTS_FILE = 'data/evaluation-weights.json'

/** The weights in `json`, or an Error naming `file` and the first bad key. */
export function parseWeights(json: unknown, file: string): Weights {
  const parsed = WeightsSchema.safeParse(json)
  if (parsed.success) {
    if (Object.values(parsed.data).every((w) => w === 0)) throw new Error(`${file}: every weight is 0; at least one must be positive`)
    return parsed.data as Weights
  }
  const issue = parsed.error.issues[0]!
  const key = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : issue.path.join('.') || '(file)'
  throw new Error(`${file}: ${key}: ${issue.message}`)
}

export function readWeights(file = process.env.EVALUATION_WEIGHTS || DEFAULT_WEIGHTS_FILE): Weights {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`${file}: not readable JSON (${(error as Error).message})`)
  }
  return parseWeights(json, file)
}
