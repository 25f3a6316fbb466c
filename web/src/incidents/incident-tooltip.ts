/**
 * What the map tooltip says about an incident point: its title, then category, status,
 * severity and when it was reported, in the current language. Pure, so a unit test can call it.
 */
import type { TFunction } from 'i18next'
import type { TooltipContent } from '../map/cell-tooltip.ts'
import { categoryLabel, type CategoryIndex } from './categories.ts'
import type { IncidentPoint } from './open-incidents.ts'

const SEVERITY_KEYS = { 1: 'severity.s1', 2: 'severity.s2', 3: 'severity.s3', 4: 'severity.s4' } as const

/** i18n key of a severity 1 (minor) … 4 (major); out-of-range values are clamped. */
export function severityKey(severity: number) {
  return SEVERITY_KEYS[Math.min(4, Math.max(1, Math.round(severity))) as 1 | 2 | 3 | 4]
}

export function formatDateTime(iso: string, language: string | undefined): string {
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(
    new Date(iso),
  )
}

/** yyyy-mm-dd HH:mm in the viewer's time, for tables read in both languages (the logs, due times). */
export function formatIsoDateTime(iso: string): string {
  return new Intl.DateTimeFormat('sv-SE', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(
    new Date(iso),
  )
}

export function getIncidentTooltip(incident: IncidentPoint, categories: CategoryIndex | undefined, t: TFunction, language: string | undefined): TooltipContent {
  return {
    title: incident.title,
    rows: [
      { label: t('incidents.category'), value: categoryLabel(categories, incident.category, language) },
      { label: t('incidents.status'), value: t(`status.${incident.status}`) + (incident.overdue ? ` · ${t('incidents.overdueBadge')}` : '') },
      { label: t('incidents.severity'), value: t(severityKey(incident.severity)) },
      { label: t('incidents.reportedAt'), value: formatDateTime(incident.reportedAt, language) },
    ],
  }
}
