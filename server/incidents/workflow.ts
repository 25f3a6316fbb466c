/**
 * The case workflow of digital grid management (GB/T 30428): 信息采集 reported → 立案 registered →
 * 派遣 dispatched → 处置 handling → 反馈 handled → 核查 verified → 结案 closed, with 不予立案
 * (dismiss), 退回 (return to the command for re-dispatch) and 核查驳回 (reopen) paths. A case is
 * handled at the lowest grid level that can; `escalate` hands it one level up (household group 5 →
 * villager group 4 → village 3 → town 2 → district 1) and re-dispatches it there.
 * Pure data and functions: the database code in service.ts applies them.
 */
export const STATUSES = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'verified', 'closed', 'dismissed'] as const
export type Status = (typeof STATUSES)[number]

export const ACTIONS = ['register', 'dismiss', 'dispatch', 'return', 'start', 'finish', 'verify', 'reopen', 'close', 'escalate'] as const
export type Action = (typeof ACTIONS)[number]

export const OPEN_STATUSES: Status[] = ['reported', 'registered', 'dispatched', 'handling', 'handled', 'verified']
export const CLOSED_STATUSES: Status[] = ['closed', 'dismissed']

const TRANSITIONS: Record<Exclude<Action, 'escalate'>, { from: Status[]; to: Status }> = {
  register: { from: ['reported'], to: 'registered' },
  dismiss: { from: ['reported'], to: 'dismissed' },
  dispatch: { from: ['registered'], to: 'dispatched' },
  return: { from: ['dispatched'], to: 'registered' },
  start: { from: ['dispatched'], to: 'handling' },
  finish: { from: ['handling'], to: 'handled' },
  verify: { from: ['handled'], to: 'verified' },
  reopen: { from: ['handled'], to: 'handling' },
  close: { from: ['verified'], to: 'closed' },
}
/** Escalation is possible while the case is being worked on, up to the district. */
const ESCALATABLE: Status[] = ['registered', 'dispatched', 'handling']

export interface CaseState {
  status: Status
  handlingLevel: number
}

export function allowedActions(state: CaseState): Action[] {
  const actions = (Object.keys(TRANSITIONS) as (keyof typeof TRANSITIONS)[]).filter((a) => TRANSITIONS[a].from.includes(state.status))
  return ESCALATABLE.includes(state.status) && state.handlingLevel > 1 ? [...actions, 'escalate'] : actions
}

/** The state after `action`, or null when the action is not allowed from `state`. */
export function nextState(state: CaseState, action: Action): CaseState | null {
  if (!allowedActions(state).includes(action)) return null
  if (action === 'escalate') return { status: 'dispatched', handlingLevel: state.handlingLevel - 1 }
  return { status: TRANSITIONS[action].to, handlingLevel: state.handlingLevel }
}

/**
 * The level a new case starts at: the grid itself, unless its severity demands more
 * (severity 4, e.g. a missing person, goes straight to the town; 3 to the village).
 */
export function initialLevel(severity: number): number {
  return severity >= 4 ? 2 : severity === 3 ? 3 : 5
}

export function isOpen(status: Status): boolean {
  return OPEN_STATUSES.includes(status)
}
