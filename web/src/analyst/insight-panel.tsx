/**
 * The right-hand column under the figures: the charts (categories, trend, towns and villages,
 * time to close, where cases were resolved), the period comparison and the list, all of one
 * summary of the selection. A bar or a comparison row clicked narrows the filter to it. Memoised:
 * playback re-renders the page every frame, and none of this moves with the playhead.
 */
import type { TFunction } from 'i18next'
import { memo, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { categoryColor, categoryLabel, type CategoryIndex } from '../incidents/categories.ts'
import { toCss } from '../map/palette.ts'
import { AnalystList } from './analyst-list.tsx'
import type { IncidentSummary } from './analyst-api.ts'
import { BarChart } from './charts/bar-chart.tsx'
import { CloseTimeChart } from './charts/close-time-chart.tsx'
import { ShareMeters } from './charts/share-meters.tsx'
import { TrendChart } from './charts/trend-chart.tsx'
import { ComparisonTable } from './comparison-table.tsx'
import { withCategory, type AnalystFilter } from './filter-state.ts'
import type { useIncidentList } from './use-analyst-data.ts'

export interface InsightPanelProps {
  filter: AnalystFilter
  summary: IncidentSummary | undefined
  list: ReturnType<typeof useIncidentList>
  categories: CategoryIndex | undefined
  onCommit: (next: AnalystFilter) => void
  onOpenIncident: (id: number) => void
}

const TOWNS_SHOWN = 12
const VILLAGES_SHOWN = 10

export const InsightPanel = memo(function InsightPanel({ filter, summary, list, categories, onCommit, onOpenIncident }: InsightPanelProps) {
  const { t, i18n } = useTranslation()
  const language = i18n.resolvedLanguage
  const labelOf = (code: string) => categoryLabel(categories, code, language)
  // In the bars the family is told by the colour: the subcategory's own name is enough.
  const shortLabelOf = (code: string) => {
    const info = categories?.get(code)
    return info ? (language?.startsWith('en') ? info.nameEn : info.nameZh) : code
  }
  const day = (iso: string) => new Intl.DateTimeFormat(language, { month: '2-digit', day: '2-digit', year: 'numeric' }).format(new Date(iso))
  const byGrid = (code: string) => onCommit({ ...filter, grid: code })
  const byCategory = (code: string) => onCommit(withCategory(filter, code))
  const hours = (h: number | null, previous: number | null) =>
    h === null ? t('analyst.charts.beyond', { value: formatHours(previous ?? 0, t) }) : `≤${formatHours(h, t)}`

  if (!summary) return <p className="cell-panel__note">{t('analyst.loading')}</p>
  const categoryTotal = summary.byCategory.reduce((sum, c) => sum + c.count, 0)
  return (
    <>
      <Section title={t('analyst.charts.byCategory')} aside={t('analyst.charts.total', { count: categoryTotal })} name="by-category" total={categoryTotal}>
        <BarChart
          label={t('analyst.charts.byCategory')}
          items={summary.byCategory.map((c) => ({ key: c.code, label: shortLabelOf(c.code), value: c.count, color: toCss(categoryColor(categories, c.code)) }))}
          onSelect={byCategory}
          selectHint={t('analyst.charts.clickToFilter')}
        />
      </Section>
      <Section title={t('analyst.charts.trend')} aside={t(`analyst.buckets.${summary.bucket}`)} name="trend">
        <TrendChart points={summary.byTime} label={t('analyst.charts.trend')} formatDate={day} />
      </Section>
      <Section title={t('analyst.charts.towns')} name="towns" total={summary.byTown.reduce((sum, c) => sum + c.count, 0)}>
        <BarChart
          label={t('analyst.charts.towns')}
          items={summary.byTown.slice(0, TOWNS_SHOWN).map((c) => ({ key: c.code, label: c.name, value: c.count }))}
          onSelect={byGrid}
          selectHint={t('analyst.charts.clickToFilter')}
        />
      </Section>
      <Section title={t('analyst.charts.villages')} name="villages">
        <BarChart
          label={t('analyst.charts.villages')}
          items={summary.byVillage.slice(0, VILLAGES_SHOWN).map((c) => ({ key: c.code, label: c.name, value: c.count, color: 'rgb(255, 193, 77)' }))}
          onSelect={byGrid}
          selectHint={t('analyst.charts.clickToFilter')}
        />
      </Section>
      <Section title={t('analyst.charts.timeToClose')} name="time-to-close">
        <CloseTimeChart buckets={summary.timeToClose} label={t('analyst.charts.timeToClose')} formatBucket={hours} />
      </Section>
      <Section title={t('analyst.charts.resolvedWhere')} name="resolved">
        <ShareMeters
          none={t('incidents.none')}
          shares={[
            { key: 'grid', label: t('incidents.resolvedInGrid'), rate: summary.resolvedInGridRate },
            { key: 'town', label: t('incidents.resolvedInTown'), rate: summary.resolvedInTownRate },
          ]}
        />
      </Section>
      <Section title={t('analyst.compare.heading')} name="comparison">
        <ComparisonTable comparison={summary.comparison} categoryLabel={labelOf} formatDate={day} onCategory={byCategory} onTown={byGrid} />
      </Section>
      <Section title={t('analyst.list.heading')} name="list">
        <AnalystList list={list} categories={categories} onOpen={onOpenIncident} />
      </Section>
    </>
  )
})

function Section({ title, aside, name, total, children }: { title: string; aside?: string; name: string; total?: number; children: ReactNode }) {
  return (
    <section className="insight" data-section={name} data-total={total ?? ''}>
      <h3 className="section-title">
        {title}
        {aside && <span className="section-title__aside">{aside}</span>}
      </h3>
      {children}
    </section>
  )
}

function formatHours(hours: number, t: TFunction): string {
  return hours >= 48 && hours % 24 === 0 ? t('analyst.charts.days', { count: hours / 24 }) : t('analyst.charts.hours', { count: hours })
}
