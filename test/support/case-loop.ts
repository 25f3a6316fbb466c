/**
 * The case loop as tests walk it: dismiss, return, reopen and escalate need a note, and the one
 * who finished a case may not verify it. `stepBody` adds the note a step needs; `checkerApp` is a
 * second person (the town leader of 电海街道) who verifies what the commander finished there.
 */
import { createApp } from '../../server/app.ts'
import type { Database } from '../../server/db/connect.ts'
import { NOTE_REQUIRED } from '../../server/incidents/case-actions.ts'
import type { Action } from '../../server/incidents/workflow.ts'
import { asViewer, signIn, type RequestTarget } from './auth.ts'

export const CHECKER_SCOPE = '440904004'

export function stepBody(action: string, note?: string): string {
  return JSON.stringify({ action, note: note ?? (NOTE_REQUIRED.includes(action as Action) ? `测试：${action}` : undefined) })
}

export async function checkerApp(db: Database): Promise<RequestTarget> {
  return asViewer(createApp(db), await signIn(db, 'town_leader', CHECKER_SCOPE))
}
