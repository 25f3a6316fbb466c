/**
 * Progress of long work (seeding, import, export) as structured log lines, at most one per
 * stage every 10 percent, so a terminal shows movement and a log pipeline gets records.
 */
import { log } from './log.ts'

export function progressReporter(task: string) {
  const lastShown = new Map<string, number>()
  return (stage: string, done: number, total: number) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100)
    const step = Math.floor(percent / 10)
    if (lastShown.get(stage) === step && done !== total) return
    lastShown.set(stage, step)
    log.info({ task, stage, done, total, percent }, `${task}: ${stage} ${done}/${total}`)
  }
}
