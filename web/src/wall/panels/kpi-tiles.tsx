/** The seven figures of the district or the town in focus, large enough to read across the room. */
import { useTranslation } from 'react-i18next'
import type { WallSummary } from '../wall-api.ts'

type Tone = 'plain' | 'accent' | 'warn' | 'good'

export function KpiTiles({ kpis }: { kpis: WallSummary['kpis'] | undefined }) {
  const { t, i18n } = useTranslation()
  const number = (n: number | undefined) => (n === undefined ? t('wall.kpi.none') : n.toLocaleString(i18n.resolvedLanguage))
  const percent = (r: number | null | undefined) =>
    r === null || r === undefined ? t('wall.kpi.none') : t('wall.kpi.percent', { value: (r * 100).toFixed(1) })
  const tiles: { key: string; label: string; value: string; unit: string; note: string; tone: Tone }[] = [
    {
      key: 'reportsToday',
      label: t('wall.kpi.reportsToday'),
      value: number(kpis?.reportsToday),
      unit: t('wall.kpi.cases'),
      note: t('wall.kpi.todayNote'),
      tone: 'accent',
    },
    { key: 'open', label: t('wall.kpi.open'), value: number(kpis?.open), unit: t('wall.kpi.cases'), note: t('wall.kpi.openNote'), tone: 'plain' },
    { key: 'overdue', label: t('wall.kpi.overdue'), value: number(kpis?.overdue), unit: t('wall.kpi.cases'), note: t('wall.kpi.overdueNote'), tone: 'warn' },
    {
      key: 'closedToday',
      label: t('wall.kpi.closedToday'),
      value: number(kpis?.closedToday),
      unit: t('wall.kpi.cases'),
      note: t('wall.kpi.todayNote'),
      tone: 'good',
    },
    {
      key: 'resolvedInGrid',
      label: t('wall.kpi.resolvedInGrid'),
      value: percent(kpis?.resolvedInGridRate),
      unit: '',
      note: t('wall.kpi.resolvedInGridNote'),
      tone: 'good',
    },
    {
      key: 'disputeRate',
      label: t('wall.kpi.disputeRate'),
      value: percent(kpis?.disputeResolutionRate),
      unit: '',
      note: t('wall.kpi.disputeRateNote'),
      tone: 'good',
    },
    {
      key: 'workersToday',
      label: t('wall.kpi.workersToday'),
      value: number(kpis?.workersReportingToday),
      unit: t('wall.kpi.people'),
      note: t('wall.kpi.workersTodayNote'),
      tone: 'accent',
    },
  ]
  return (
    <section className="wall-kpis" aria-label={t('wall.title')}>
      {tiles.map((tile) => (
        <div key={tile.key} className={`wall-kpi wall-kpi--${tile.tone}`} data-kpi={tile.key}>
          <span className="wall-kpi__label">{tile.label}</span>
          <span className="wall-kpi__value">
            {tile.value}
            {tile.unit && <small className="wall-kpi__unit">{tile.unit}</small>}
          </span>
          <span className="wall-kpi__note">{tile.note}</span>
        </div>
      ))}
    </section>
  )
}
