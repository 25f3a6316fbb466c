/**
 * How the incident drawer names who acted and who handles a case: masked name · role · cell
 * (王* · 网格员 · 第3住户小组), an office or channel by its role, a department by its name.
 * Never a raw identifier.
 */
import type { TFunction } from 'i18next'
import type { TimelineEvent } from '../api/client.ts'

type Label = Pick<TimelineEvent['by'], 'name' | 'role' | 'cellName'>

export function formatActor(t: TFunction, by: Label): string {
  const role = t(`caseLoop.actorRoles.${by.role as 'unknown'}`, { defaultValue: t('caseLoop.actorRoles.unknown') })
  return [by.name, role, by.cellName].filter(Boolean).join(' · ')
}

export function formatAssignee(t: TFunction, assignee: NonNullable<TimelineEvent['assignee']>, language: string | undefined): string {
  if (assignee.kind === 'department') return language === 'en' && assignee.nameEn ? assignee.nameEn : assignee.name
  return formatActor(t, assignee)
}
